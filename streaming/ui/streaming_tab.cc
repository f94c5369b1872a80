#include "streaming/ui/streaming_tab.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>

#include "streaming/ui/batch_page.h"
#include "streaming/ui/streaming_metrics.h"
#include "streaming/ui/streaming_page.h"

namespace sluice {
namespace {

using nlohmann::json;

void sendJson(httplib::Response& res, const json& body) { res.set_content(body.dump(2), "application/json"); }

void notFound(httplib::Response& res, const std::string& what) {
  res.status = 404;
  res.set_content(what + "\n", "text/plain");
}

// The integer query parameter name, or fallback when absent or not a number.
int64_t intParam(const httplib::Request& req, const char* name, int64_t fallback) {
  const std::string v = req.get_param_value(name);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) return fallback;
  return std::stoll(v);
}

void sendHtml(httplib::Response& res, const std::string& html) { res.set_content(html, "text/html; charset=utf-8"); }

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StreamingTab::StreamingTab(DriverWebUi& ui, ProgressFn progress) : ui_(ui), progress_(std::move(progress)) {
  attachRest();
  attachPage();
  metrics_ = ui_.addMetricsSource([this](PrometheusText& out) { writeStreamingMetrics(out, progress_()); });
  ui_.setHome("/streaming/");  // a streaming application lands on its Streaming page
}

StreamingTab::~StreamingTab() {
  ui_.setHome("");
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
  auto app = [this] { return DriverPageInfo{ui_.app().id, ui_.app().name}; };
  auto streaming = [this, app](const httplib::Request& req, const std::smatch&, httplib::Response& res) {
    auto page = [&](const char* name) {
      return static_cast<int>(std::min<int64_t>(intParam(req, name, 1), 1 << 20));
    };
    StreamingPageQuery q{page("page"), page("activePage")};
    sendHtml(res, renderStreamingPage(progress_(), app(), q, nowMs()));
  };
  auto batch = [this, app](const httplib::Request& req, const std::smatch&, httplib::Response& res) {
    auto page = renderBatchPage(progress_(), app(), intParam(req, "id", -1), nowMs());
    page ? sendHtml(res, *page) : notFound(res, "no such batch: " + req.get_param_value("id"));
  };
  attached_.push_back(ui_.attach("/streaming/?", streaming, kStreamingTab));
  attached_.push_back(ui_.attach("/streaming/batch/?", batch));
}

}  // namespace sluice
