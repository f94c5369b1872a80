#include "streaming/ui/driver_ui.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <sstream>

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

std::string renderPage(const DriverUI::ProgressFn& progress, const std::string& app_id, const std::string& name) {
  StreamingProgress p = progress();
  json stats = streamingStatistics(p);
  json batches = streamingBatches(p);
  std::ostringstream html;
  html << "<!DOCTYPE html><html><head><meta charset='utf-8'><meta http-equiv='refresh' content='2'>"
       << "<title>Sluice " << htmlEscape(name) << "</title><style>body{font-family:sans-serif}table{border-collapse:collapse}"
       << "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}</style></head><body>"
       << "<h1>Streaming: " << htmlEscape(name) << " (" << htmlEscape(app_id) << ")</h1><p>";
  for (const char* key : {"batchDuration", "numTotalCompletedBatches", "numActiveBatches", "numReceivers",
                          "numProcessedRecords", "avgInputRate", "avgSchedulingDelay", "avgProcessingTime",
                          "avgTotalDelay"})
    html << key << ": <b>" << cell(stats[key]) << "</b><br>";
  html << "</p><h2>Latest batches</h2><table><tr><th>batch time</th><th>status</th><th>records</th>"
       << "<th>scheduling delay (ms)</th><th>processing time (ms)</th><th>total delay (ms)</th></tr>";
  for (size_t i = 0; i < std::min<size_t>(100, batches.size()); ++i) {
    const json& b = batches[i];
    html << "<tr><td>" << cell(b["batchTime"]) << "</td><td>" << cell(b["status"]) << "</td><td>"
         << cell(b["inputSize"]) << "</td><td>" << cell(b["schedulingDelay"]) << "</td><td>"
         << cell(b["processingTime"]) << "</td><td>" << cell(b["totalDelay"]) << "</td></tr>";
  }
  html << "</table></body></html>";
  return html.str();
}

}  // namespace

DriverUI::DriverUI(Options options, ProgressFn progress)
    : options_(std::move(options)), progress_(std::move(progress)) {}

DriverUI::~DriverUI() = default;

StatusOr<std::unique_ptr<DriverUI>> DriverUI::start(Options options, ProgressFn progress) {
  std::unique_ptr<DriverUI> ui(new DriverUI(std::move(options), std::move(progress)));
  ui->route();
  const Options& o = ui->options_;
  auto port = ui->http_.start(o.host, o.port, o.max_retries, "driver UI");
  if (!port) return port.status();
  spdlog::info("driver UI and REST API at http://{}:{}", o.host, *port);
  return ui;
}

void DriverUI::route() {
  httplib::Server& http = http_.server();
  const std::string app = "/api/v1/applications/([^/]+)/streaming";
  // Runs handler for a request on this application, 404 for another one.
  auto forApp = [this](auto handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      if (req.matches[1] != options_.app_id) return notFound(res, "no such application: " + req.matches[1].str());
      handler(req, res, progress_());
    };
  };
  http.Get("/api/v1/applications", [this](const httplib::Request&, httplib::Response& res) {
    sendJson(res, json::array({{{"id", options_.app_id}, {"name", options_.app_name}}}));
  });
  http.Get(app + "/statistics", forApp([](const auto&, auto& res, const StreamingProgress& p) {
    sendJson(res, streamingStatistics(p));
  }));
  http.Get(app + "/batches", forApp([](const httplib::Request& req, auto& res, const StreamingProgress& p) {
    sendJson(res, streamingBatches(p, req.get_param_value("status")));
  }));
  http.Get(app + "/batches/(\\d+)", forApp([](const httplib::Request& req, auto& res, const StreamingProgress& p) {
    auto batch = streamingBatch(p, std::stoll(req.matches[2]));
    batch ? sendJson(res, *batch) : notFound(res, "no such batch: " + req.matches[2].str());
  }));
  http.Get(app + "/batches/(\\d+)/operations",
           forApp([](const httplib::Request& req, auto& res, const StreamingProgress& p) {
             auto ops = streamingOperations(p, std::stoll(req.matches[2]));
             ops ? sendJson(res, *ops) : notFound(res, "no such batch: " + req.matches[2].str());
           }));
  http.Get(app + "/receivers", forApp([](const auto&, auto& res, const StreamingProgress& p) {
    sendJson(res, streamingReceivers(p));
  }));
  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderPage(progress_, options_.app_id, options_.app_name), "text/html; charset=utf-8");
  });
}

}  // namespace sluice
