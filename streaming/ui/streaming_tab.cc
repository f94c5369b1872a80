#include "streaming/ui/streaming_tab.h"

#include <httplib.h>

#include <algorithm>
#include <sstream>

#include "driver/ui/status_pages.h"
#include "streaming/ui/streaming_metrics.h"

namespace sluice {
namespace {

using nlohmann::json;

void sendJson(httplib::Response& res, const json& body) { res.set_content(body.dump(2), "application/json"); }

void notFound(httplib::Response& res, const std::string& what) {
  res.status = 404;
  res.set_content(what + "\n", "text/plain");
}

std::string cell(const json& v) {
  return htmlEscape(v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump());
}

std::string renderBody(const StreamingProgress& p) {
  json stats = streamingStatistics(p);
  json batches = streamingBatches(p);
  std::ostringstream html;
  html << "<p>";
  for (const char* key : {"batchDuration", "numTotalCompletedBatches", "numActiveBatches", "numReceivers",
                          "numProcessedRecords", "avgInputRate", "avgSchedulingDelay", "avgProcessingTime",
                          "avgTotalDelay"})
    html << key << ": <b>" << cell(stats[key]) << "</b><br>";
  html << "</p>";
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < std::min<size_t>(100, batches.size()); ++i) {
    const json& b = batches[i];
    rows.push_back({cell(b["batchTime"]), cell(b["status"]), cell(b["inputSize"]), cell(b["schedulingDelay"]),
                    cell(b["processingTime"]), cell(b["totalDelay"])});
  }
  html << htmlTable("Latest batches", {"batch time", "status", "records", "scheduling delay (ms)",
                                       "processing time (ms)", "total delay (ms)"},
                    rows);
  return html.str();
}

}  // namespace

StreamingTab::StreamingTab(DriverWebUi& ui, ProgressFn progress) : ui_(ui), progress_(std::move(progress)) {
  attachRest();
  attachPage();
  metrics_ = ui_.addMetricsSource([this](PrometheusText& out) { writeStreamingMetrics(out, progress_()); });
}

StreamingTab::~StreamingTab() {
  ui_.removeMetricsSource(metrics_);
  for (int id : attached_) ui_.detach(id);
}

void StreamingTab::attachRest() {
  const std::string app = "/api/v1/applications/([^/]+)/streaming";
  // Serves pattern for requests on this application, 404 for another one.
  auto get = [this](const std::string& pattern, auto handler) {
    attached_.push_back(ui_.attach(pattern, [this, handler](const httplib::Request& req, const std::smatch& m,
                                                            httplib::Response& res) {
      if (m[1] != ui_.app().id) return notFound(res, "no such application: " + m[1].str());
      handler(req, m, res, progress_());
    }));
  };
  get(app + "/statistics/?", [](const auto&, const auto&, auto& res, const StreamingProgress& p) {
    sendJson(res, streamingStatistics(p));
  });
  get(app + "/batches/?", [](const httplib::Request& req, const auto&, auto& res, const StreamingProgress& p) {
    sendJson(res, streamingBatches(p, req.get_param_value("status")));
  });
  get(app + "/batches/(\\d+)/?", [](const auto&, const std::smatch& m, auto& res, const StreamingProgress& p) {
    auto batch = streamingBatch(p, std::stoll(m[2]));
    batch ? sendJson(res, *batch) : notFound(res, "no such batch: " + m[2].str());
  });
  get(app + "/batches/(\\d+)/operations/?",
      [](const auto&, const std::smatch& m, auto& res, const StreamingProgress& p) {
        auto ops = streamingOperations(p, std::stoll(m[2]));
        ops ? sendJson(res, *ops) : notFound(res, "no such batch: " + m[2].str());
      });
  get(app + "/receivers/?", [](const auto&, const auto&, auto& res, const StreamingProgress& p) {
    sendJson(res, streamingReceivers(p));
  });
  get(app + "/receivers/(\\d+)/?", [](const auto&, const std::smatch& m, auto& res, const StreamingProgress& p) {
    auto receiver = streamingReceiver(p, std::stoi(m[2]));
    receiver ? sendJson(res, *receiver) : notFound(res, "no such receiver: " + m[2].str());
  });
}

void StreamingTab::attachPage() {
  attached_.push_back(ui_.attach(
      "/streaming/?",
      [this](const httplib::Request&, const std::smatch&, httplib::Response& res) {
        res.set_header("Refresh", "2");
        res.set_content(ui_.page("Streaming", renderBody(progress_())), "text/html; charset=utf-8");
      },
      {"Streaming", "/streaming/"}));
}

}  // namespace sluice
