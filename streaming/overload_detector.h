// OverloadDetector: tells when a stream falls behind its batch interval, as a policy over
// completed batches (no clock, no logging of its own, so that a test feeds it BatchInfos).
//
// A batch is overloaded when its total delay (end of processing - submission) exceeds the
// interval it covered. After kBatchesToWarn consecutive overloaded batches the stream is overloaded:
// the detector returns one WARN line, and then at most one more per repeat_after (measured
// on the batches' own end times) while it stays overloaded, so a stream that is behind for
// hours logs a line a minute, not a line a batch. The limit holds across streaks too: a
// stream that flaps between keeping up and falling behind logs no more than one WARN line
// per repeat_after (a streak that starts sooner shows only in state()). The first batch
// within the interval after a warned streak returns one INFO line saying it keeps up again.
//
// THREADING: not thread-safe; its owner (JobScheduler) calls it under its lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "streaming/duration.h"
#include "streaming/streaming_listener.h"

namespace sluice {

// What the REST statistics show of a stream's load.
struct OverloadState {
  int consecutive_overloaded = 0;  // completed batches in a row whose total delay > interval
  bool overloaded = false;         // consecutive_overloaded >= OverloadDetector::kBatchesToWarn
  int64_t warnings = 0;            // WARN lines returned so far
};

class OverloadDetector {
 public:
  static constexpr int kBatchesToWarn = 3;

  struct Report {
    enum class Level { kWarn, kInfo } level;
    std::string message;
  };

  explicit OverloadDetector(Duration interval, std::chrono::milliseconds repeat_after = std::chrono::minutes(1));

  // Counts batch b, just completed, with queued batches generated and not yet started.
  // Returns the line to log, if any (see the class comment). A batch without output
  // operations (no job ran) is not counted.
  std::optional<Report> batchCompleted(const BatchInfo& b, int64_t queued);
  const OverloadState& state() const { return state_; }

 private:
  std::string warning(const BatchInfo& b, int64_t queued) const;

  // The interval batch b covered (an adaptive interval changes per batch), else interval_.
  int64_t intervalOf(const BatchInfo& b) const;
  Duration interval_;
  std::chrono::milliseconds repeat_after_;
  OverloadState state_;
  int64_t last_warning_ms_ = -1;  // end time of the batch that last warned, -1: none yet
  bool warned_this_streak_ = false;
  int64_t streak_processing_ms_ = 0;  // summed over the current streak
};

}  // namespace sluice
