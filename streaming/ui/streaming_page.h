// The Streaming tab of the driver UI (Spark's StreamingPage): the summary with the app's
// health, a timeline and a histogram for each of input rate, scheduling delay, processing
// time and total delay, the receivers, and the active and completed batches, paginated.
// Pure function of a progress snapshot; the receivers and averages are read through the
// REST JSON (streaming_rest.h), so fields added there (e.g. a receiver's currentRateLimit)
// show up here.
#pragma once

#include <cstdint>
#include <string>

#include "common/ui/page_layout.h"
#include "streaming/streaming_progress.h"

namespace sluice {

struct DriverPageInfo {
  std::string app_id;
  std::string app_name;
};

struct StreamingPageQuery {
  int page = 1;         // ?page=: of the completed batches, newest first
  int active_page = 1;  // ?activePage=: of the active batches
};

// The Streaming tab's link in the driver UI's header.
inline const ui::NavLink kStreamingTab{"Streaming", "/streaming/"};

// Batches per page of each batch table.
inline constexpr size_t kBatchesPerPage = 25;

std::string renderStreamingPage(const StreamingProgress& p, const DriverPageInfo& app,
                                const StreamingPageQuery& q, int64_t now_ms);

// The link to a batch's page: "/streaming/batch?id=<batch time ms>".
std::string batchHref(int64_t batch_time_ms);

}  // namespace sluice
