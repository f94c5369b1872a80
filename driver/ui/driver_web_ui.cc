#include "driver/ui/driver_web_ui.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/process_metrics.h"
#include "driver/ui/app_status_store.h"
#include "driver/ui/driver_metrics.h"
#include "driver/ui/status_pages.h"
#include "wal/wal_metrics.h"

namespace sluice {
namespace {

using nlohmann::json;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void sendJson(httplib::Response& res, const json& body) { res.set_content(body.dump(2), "application/json"); }

void notFound(httplib::Response& res, const std::string& what) {
  res.status = 404;
  res.set_content(what + "\n", "text/plain");
}

void sendHtml(httplib::Response& res, const std::string& html) { res.set_content(html, "text/html; charset=utf-8"); }

}  // namespace

DriverWebUi::DriverWebUi(Options options, const AppStatusStore* store)
    : options_(std::move(options)), store_(store) {}

DriverWebUi::~DriverWebUi() { stop(); }

void DriverWebUi::stop() { http_.stop(); }

StatusOr<std::unique_ptr<DriverWebUi>> DriverWebUi::start(Options options, const AppStatusStore* store) {
  std::unique_ptr<DriverWebUi> ui(new DriverWebUi(std::move(options), store));
  ui->route();
  const Options& o = ui->options_;
  if (Status st = ui->http_.requireAuth(o.conf); !st) return Status::invalidArgument("driver UI: " + st.message());
  auto port = ui->http_.start(o.host, o.port, o.max_retries, "driver UI");
  if (!port) return port.status();
  // Scripts and tests read this line: "REST API at http://<host>:<port>".
  spdlog::info("driver UI and REST API at {} (bound to {}:{})", ui->url(), o.host, *port);
  return ui;
}

std::string DriverWebUi::url() const {
  return "http://" + publicHost(options_.host, options_.public_host) + ":" + std::to_string(port());
}

void DriverWebUi::route() {
  httplib::Server& http = http_.server();
  const std::string app = "/api/v1/applications/([^/]+)";
  // Runs handler for a request on this application, 404 for another one.
  auto forApp = [this](auto handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      if (req.matches[1] != options_.app.id) return notFound(res, "no such application: " + req.matches[1].str());
      handler(req, res);
    };
  };
  http.Get("/api/v1/applications/?", [this](const httplib::Request&, httplib::Response& res) {
    sendJson(res, json::array({applicationJson(options_.app, nowMs())}));
  });
  http.Get(app + "/?", forApp([this](const auto&, auto& res) { sendJson(res, applicationJson(options_.app, nowMs())); }));
  http.Get(app + "/jobs/?", forApp([this](const auto&, auto& res) {
    json out = json::array();
    for (const auto& j : store_->jobs()) out.push_back(jobJson(j));
    sendJson(res, out);
  }));
  http.Get(app + "/jobs/(\\d+)/?", forApp([this](const httplib::Request& req, auto& res) {
    auto job = store_->job(std::stoi(req.matches[2]));
    job ? sendJson(res, jobJson(*job)) : notFound(res, "unknown job: " + req.matches[2].str());
  }));
  http.Get(app + "/stages/?", forApp([this](const auto&, auto& res) {
    json out = json::array();
    for (const auto& s : store_->stages()) out.push_back(stageJson(s));
    sendJson(res, out);
  }));
  http.Get(app + "/stages/(\\d+)/?", forApp([this](const httplib::Request& req, auto& res) {
    auto attempts = store_->stageAttempts(std::stoi(req.matches[2]));
    if (attempts.empty()) return notFound(res, "unknown stage: " + req.matches[2].str());
    json out = json::array();
    for (const auto& s : attempts) out.push_back(stageJson(s));
    sendJson(res, out);
  }));
  http.Get(app + "/executors/?", forApp([this](const auto&, auto& res) {
    json out = json::array();
    for (const auto& e : store_->executors()) out.push_back(executorJson(e));
    sendJson(res, out);
  }));
  http.Get(app + "/environment/?", forApp([this](const auto&, auto& res) {
    sendJson(res, environmentJson(options_.app, options_.conf));
  }));
  http.Get("/api/v1/version/?", [](const httplib::Request&, httplib::Response& res) { sendJson(res, versionJson()); });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics(), PrometheusText::kContentType);
  });
  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(tabs_mu_);
    res.set_redirect(home_);
  });
  http.Get("/jobs/?", [this](const httplib::Request&, httplib::Response& res) {
    sendHtml(res, page("Jobs", jobsPage(store_->jobs())));
  });
  http.Get("/stages/?", [this](const httplib::Request&, httplib::Response& res) {
    sendHtml(res, page("Stages", stagesPage(store_->stages())));
  });
  http.Get("/executors/?", [this](const httplib::Request&, httplib::Response& res) {
    sendHtml(res, page("Executors", executorsPage(store_->executors())));
  });
  http.Get("/environment/?", [this](const httplib::Request&, httplib::Response& res) {
    sendHtml(res, page("Environment", environmentPage(environmentJson(options_.app, options_.conf))));
  });
  http.Get("(/.*)", [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); });
}

void DriverWebUi::dispatch(const httplib::Request& req, httplib::Response& res) {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::smatch m;
  for (const auto& [id, a] : attached_) {
    if (std::regex_match(req.path, m, a.pattern)) return a.handler(req, m, res);
  }
  notFound(res, "no such page: " + req.path);
}

int DriverWebUi::attach(const std::string& pattern, Handler handler, Tab tab) {
  int id;
  {
    std::unique_lock<std::shared_mutex> lock(mu_);
    id = next_id_++;
    attached_.emplace(id, Attached{std::regex(pattern), std::move(handler)});
  }
  if (!tab.label.empty()) {
    std::lock_guard<std::mutex> lock(tabs_mu_);
    tabs_.emplace(id, std::move(tab));
  }
  return id;
}

void DriverWebUi::detach(int id) {
  {
    std::lock_guard<std::mutex> lock(tabs_mu_);
    tabs_.erase(id);
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  attached_.erase(id);
}

void DriverWebUi::setHome(const std::string& path) {
  std::lock_guard<std::mutex> lock(tabs_mu_);
  home_ = path.empty() ? "/jobs/" : path;
}

int DriverWebUi::addMetricsSource(MetricsSource source) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  int id = next_id_++;
  sources_.emplace(id, std::move(source));
  return id;
}

void DriverWebUi::removeMetricsSource(int id) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  sources_.erase(id);
}

std::string DriverWebUi::metrics() const {
  PrometheusText out;
  writeDriverMetrics(out, store_->totals());
  writeWalMetrics(out);
  writeProcessMetrics(out);
  std::shared_lock<std::shared_mutex> lock(mu_);
  for (const auto& [id, source] : sources_) source(out);
  return out.str();
}

std::string DriverWebUi::page(const std::string& title, const std::string& body) const {
  std::vector<ui::NavLink> attached;
  {
    std::lock_guard<std::mutex> lock(tabs_mu_);
    for (const auto& [id, tab] : tabs_) attached.push_back(tab);
  }
  ui::PageLayout layout{"Sluice", options_.app.name + " (" + options_.app.id + ")", ui::driverTabs(attached), title};
  return ui::pageStart(layout) + "<h1>" + htmlEscape(title) + "</h1>\n" + body + ui::pageEnd(layout);
}

}  // namespace sluice
