// StreamingHealth: whether a streaming app keeps up with its batch interval, as the
// Streaming tab's summary shows it (green, amber or red with a one-line headline).
// Pure function of a progress snapshot.
#pragma once

#include <cstdint>
#include <string>

#include "streaming/streaming_progress.h"

namespace sluice {

struct StreamingHealth {
  enum class Level { kOk, kWarn, kBad };
  Level level = Level::kOk;
  int queued = 0;                    // active batches not started yet
  int processing = 0;                // active batches running
  int64_t last_total_delay_ms = -1;  // of the newest completed batch; -1: none yet
  std::string headline;              // e.g. "Overloaded: 96 batches queued; ..."

  // "ok", "warn" or "bad": the CSS class of the summary.
  const char* cssClass() const;
};

// Batches queued from which the app counts as overloaded (red), not just behind (amber).
inline constexpr int kOverloadedQueuedBatches = 10;

// kBad when kOverloadedQueuedBatches or more batches are queued; kWarn when 2 or more are,
// or the newest completed batch took longer than the batch interval (total delay); kOk
// otherwise (also before the first batch).
StreamingHealth streamingHealth(const StreamingProgress& p);

}  // namespace sluice
