// The worker's web UI (Spark's WorkerWebUI): GET /json is the worker's state in Spark's
// field names, GET / an HTML page of the same with links to each executor's and driver's
// stdout and stderr, GET /logPage one of those logs (worker/log_page.h), GET /metrics the
// Prometheus metrics (worker_metrics.h).
#pragma once

#include <functional>
#include <string>

#include "common/conf.h"
#include "common/http_server.h"
#include "common/status.h"
#include "worker/worker_status.h"

namespace sluice::worker {

// Spark's worker JSON: id, masterurl, cores, coresused, executors[], ...
std::string renderWorkerJson(const WorkerStatus& status);
std::string renderWorkerHtml(const WorkerStatus& status);

class WebUi {
 public:
  // snapshot is called on the server's threads, once per request; it must be thread-safe.
  explicit WebUi(std::function<WorkerStatus()> snapshot);
  // stop().
  ~WebUi();
  WebUi(const WebUi&) = delete;
  WebUi& operator=(const WebUi&) = delete;

  // Binds host:port (0: any free port) and serves on a background thread; with auth.enabled
  // in conf, every request needs credentials (HttpServer::requireAuth). Returns the port
  // bound; a port in use is an error (no retries: a second worker on the same port fails to
  // start instead of serving elsewhere), and so is an auth.enabled without its secret.
  StatusOr<int> start(const std::string& host, int port, const Conf& conf);
  // Idempotent.
  void stop();

 private:
  std::function<WorkerStatus()> snapshot_;
  HttpServer http_;
};

}  // namespace sluice::worker
