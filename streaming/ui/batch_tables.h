// The Streaming tab's batch tables (Spark's ActiveBatchTable and CompletedBatchTable):
// each batch links to its page; the completed table marks a total delay over the batch
// interval. Pure functions.
#pragma once

#include <string>

#include "streaming/streaming_progress.h"
#include "streaming/ui/streaming_page.h"

namespace sluice {

// Queued and running batches, oldest first (the next to run on top), page q.active_page;
// a running batch's processing time is counted up to now_ms.
std::string activeBatchesTable(const StreamingProgress& p, const StreamingPageQuery& q,
                               int64_t now_ms);
// Retained completed batches, newest first, page q.page.
std::string completedBatchesTable(const StreamingProgress& p, const StreamingPageQuery& q);

// A batch's time as its tables show it: to the millisecond when the interval is not whole
// seconds.
std::string batchTime(const StreamingProgress& p, int64_t batch_time_ms);

// "2/2" output operations done of total, with failures named: "1/2 (1 failed)".
std::string outputOpsSummary(const BatchInfo& b);

}  // namespace sluice
