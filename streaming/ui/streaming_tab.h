// StreamingTab: what a running StreamingContext adds to the driver's web UI
// (driver/ui/driver_web_ui.h), as Spark's StreamingTab does:
//
//   GET /api/v1/applications/<app-id>/streaming/statistics
//   GET /api/v1/applications/<app-id>/streaming/batches[?status=COMPLETED]
//   GET /api/v1/applications/<app-id>/streaming/batches/<batch-id>[/operations]
//   GET /api/v1/applications/<app-id>/streaming/receivers[/<stream-id>]
//   GET /streaming/  the Streaming page (streaming_page.h), ?page=&activePage=; GET /
//                    redirects here while the tab is attached
//   GET /streaming/batch?id=<batch time ms>  a batch's page (batch_page.h)
//   and the streaming metrics of /metrics (streaming_metrics.h).
#pragma once

#include <functional>
#include <vector>

#include "driver/ui/driver_web_ui.h"
#include "streaming/ui/streaming_rest.h"

namespace sluice {

class StreamingTab {
 public:
  using ProgressFn = std::function<StreamingProgress()>;

  // Attaches to ui, which must outlive this tab; progress() is called on the UI's threads,
  // per request, until the tab is destroyed.
  StreamingTab(DriverWebUi& ui, ProgressFn progress);
  // Detaches: once it returns, progress() is not running and is never called again.
  ~StreamingTab();
  StreamingTab(const StreamingTab&) = delete;
  StreamingTab& operator=(const StreamingTab&) = delete;

 private:
  void attachRest();
  void attachPage();

  DriverWebUi& ui_;
  ProgressFn progress_;
  std::vector<int> attached_;
  int metrics_ = -1;
};

}  // namespace sluice
