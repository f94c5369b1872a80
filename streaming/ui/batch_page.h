// A batch's page on the driver UI, /streaming/batch?id=<batch time ms> (Spark's
// BatchPage): its delays and records, records per input stream, output operations, jobs
// and tasks by locality level. Pure function of a progress snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "streaming/streaming_progress.h"
#include "streaming/ui/streaming_page.h"

namespace sluice {

// nullopt when the batch is neither active nor retained.
std::optional<std::string> renderBatchPage(const StreamingProgress& p, const DriverPageInfo& app,
                                           int64_t batch_time_ms, int64_t now_ms);

}  // namespace sluice
