// DriverWebUi: the driver's web UI, REST API and /metrics on `ui.port` (Spark's SparkUI),
// started by the Context for every application, batch or streaming. When the port is
// taken it tries the next ones up to `port.maxRetries`; 0 picks any free port. It logs the
// address a user opens: the bind host, or public_host when bound to 0.0.0.0. With
// auth.enabled in its conf, every path needs credentials (HttpServer::requireAuth).
//
//   GET /api/v1/applications[/<app-id>]              ApplicationInfo
//   GET /api/v1/applications/<app-id>/jobs[/<job-id>]    JobData
//   GET /api/v1/applications/<app-id>/stages           StageData, every kept attempt
//   GET /api/v1/applications/<app-id>/stages/<stage-id>  the stage's attempts (a list)
//   GET /api/v1/applications/<app-id>/executors        ExecutorSummary, registered ones
//   GET /api/v1/applications/<app-id>/environment      ApplicationEnvironmentInfo
//   GET /api/v1/version                                VersionInfo
//   GET /metrics                                       Prometheus text format
//   GET /jobs/, /stages/, /executors/, /environment/   HTML pages; / redirects to the home
//                                                      page, /jobs/ unless setHome() says
//
// Other parts of the driver add their own paths, pages and metrics while it runs (the
// StreamingContext adds the streaming ones: streaming/ui/streaming_tab.h).
//
// THREADING: requests are served on the server's threads. attach/detach and the metrics
// sources may be added and removed from any thread at any time; a handler or source runs
// under a shared lock, so that once detach() returns it is not running and never runs
// again (a handler must therefore not call attach or detach).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <regex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/conf.h"
#include "common/http_server.h"
#include "common/prometheus_text.h"
#include "common/status.h"
#include "common/ui/page_layout.h"
#include "driver/ui/status_json.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace sluice {

class AppStatusStore;

class DriverWebUi {
 public:
  struct Options {
    std::string host = "0.0.0.0";
    int port = 4040;
    int max_retries = kDefaultPortMaxRetries;
    std::string public_host;  // logged in place of a wildcard host (driver.host); see publicHost()
    AppSummary app;
    Conf conf;  // shown by /environment, secrets redacted; auth.enabled and ui.* for who may see it
  };
  // matches: the path's match against the pattern it was attached with.
  using Handler = std::function<void(const httplib::Request&, const std::smatch& matches, httplib::Response&)>;
  using MetricsSource = std::function<void(PrometheusText&)>;
  // A link in the header of every page (common/ui/page_layout.h).
  using Tab = ui::NavLink;

  // Binds and starts serving. *store must outlive the returned UI. An error when the port
  // cannot be bound or auth.enabled cannot be honoured (no secret, a bad ui.usersFile).
  static StatusOr<std::unique_ptr<DriverWebUi>> start(Options options, const AppStatusStore* store);
  ~DriverWebUi();  // stop()
  // Stops serving; attach/detach still work. Idempotent.
  void stop();
  DriverWebUi(const DriverWebUi&) = delete;
  DriverWebUi& operator=(const DriverWebUi&) = delete;

  int port() const { return http_.port(); }
  // The address a user opens, http://<publicHost>:<port> (the master links to it).
  std::string url() const;
  const AppSummary& app() const { return options_.app; }

  // Serves GET requests whose whole path matches pattern (ECMAScript syntax) and that no
  // built-in path serves; tab, when its label is set, is linked from every page. Returns
  // the id to detach it with.
  int attach(const std::string& pattern, Handler handler, Tab tab = {});
  void detach(int id);
  // Where GET / redirects (a streaming application lands on /streaming/); "" is /jobs/.
  void setHome(const std::string& path);
  // Adds samples to every GET /metrics.
  int addMetricsSource(MetricsSource source);
  void removeMetricsSource(int id);

  // A whole HTML page in the shared look (common/ui/page_layout.h): the header with every
  // tab, the title as its heading, then body (already escaped HTML).
  std::string page(const std::string& title, const std::string& body) const;

 private:
  DriverWebUi(Options options, const AppStatusStore* store);
  void route();
  void dispatch(const httplib::Request& req, httplib::Response& res);
  std::string metrics() const;

  struct Attached {
    std::regex pattern;
    Handler handler;
  };

  Options options_;
  const AppStatusStore* store_;
  mutable std::shared_mutex mu_;  // attached_ and sources_; shared while one runs
  int next_id_ = 0;
  std::map<int, Attached> attached_;
  std::map<int, MetricsSource> sources_;
  mutable std::mutex tabs_mu_;  // apart from mu_: page() runs inside handlers
  std::map<int, Tab> tabs_;
  std::string home_ = "/jobs/";  // guarded by tabs_mu_
  HttpServer http_;  // last: stops (joining its threads) before the rest goes
};

}  // namespace sluice
