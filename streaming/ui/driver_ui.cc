#include "streaming/ui/driver_ui.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "streaming/ui/batch_page.h"
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
  // The Streaming tab, also the landing page; a batch's page.
  auto streamingPage = [this](const httplib::Request& req, httplib::Response& res) {
    auto page = [&](const char* name) { return static_cast<int>(std::min<int64_t>(intParam(req, name, 1), 1 << 20)); };
    StreamingPageQuery q{page("page"), page("activePage")};
    sendHtml(res, renderStreamingPage(progress_(), {options_.app_id, options_.app_name}, q, nowMs()));
  };
  http.Get("/", streamingPage);
  http.Get("/streaming/?", streamingPage);
  http.Get("/streaming/batch/?", [this](const httplib::Request& req, httplib::Response& res) {
    const int64_t id = intParam(req, "id", -1);
    auto page = renderBatchPage(progress_(), {options_.app_id, options_.app_name}, id, nowMs());
    page ? sendHtml(res, *page) : notFound(res, "no such batch: " + req.get_param_value("id"));
  });
}

}  // namespace sluice
