// The worker's web UI (Spark's WorkerWebUI): GET /json is the worker's state in Spark's
// field names, GET / a small HTML page of the same.
#pragma once

#include <functional>
#include <memory>
#include <string>

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

  // Binds host:port and serves on a background thread. Port 0 picks a free port; a port in
  // use is retried on the next ones, up to max_retries (as Spark's spark.port.maxRetries).
  // Returns the port bound.
  StatusOr<int> start(const std::string& host, int port, int max_retries = 16);
  // Idempotent.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::worker
