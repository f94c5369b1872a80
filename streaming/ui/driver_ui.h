// DriverUI: the driver's web UI and REST API on `ui.port` (default 4040; when taken, the
// next ports up to `ui.port.maxRetries`, as Spark does; 0 picks any free port).
//
//   GET /api/v1/applications
//   GET /api/v1/applications/<app-id>/streaming/statistics
//   GET /api/v1/applications/<app-id>/streaming/batches[?status=COMPLETED]
//   GET /api/v1/applications/<app-id>/streaming/batches/<batch-id>[/operations]
//   GET /api/v1/applications/<app-id>/streaming/receivers
//   GET / and /streaming/     the Streaming tab (streaming_page.h), ?page=&activePage=
//   GET /streaming/batch?id=<batch time ms>   a batch's page (batch_page.h)
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/http_server.h"
#include "common/status.h"
#include "streaming/ui/streaming_rest.h"

namespace sluice {

class DriverUI {
 public:
  struct Options {
    std::string host = "0.0.0.0";
    int port = 4040;
    int max_retries = kDefaultPortMaxRetries;
    std::string app_id;
    std::string app_name;
  };
  using ProgressFn = std::function<StreamingProgress()>;

  // Binds and starts serving; progress() is called (on the server's threads) per request.
  static StatusOr<std::unique_ptr<DriverUI>> start(Options options, ProgressFn progress);
  ~DriverUI();  // stops serving
  DriverUI(const DriverUI&) = delete;
  DriverUI& operator=(const DriverUI&) = delete;

  int port() const { return http_.port(); }

 private:
  DriverUI(Options options, ProgressFn progress);
  void route();

  Options options_;
  ProgressFn progress_;
  HttpServer http_;
};

}  // namespace sluice
