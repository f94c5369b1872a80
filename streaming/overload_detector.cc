#include "streaming/overload_detector.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

namespace sluice {

OverloadDetector::OverloadDetector(Duration interval, std::chrono::milliseconds repeat_after)
    : interval_(interval), repeat_after_(repeat_after) {}

std::optional<OverloadDetector::Report> OverloadDetector::batchCompleted(const BatchInfo& b, int64_t queued) {
  if (b.output_ops.empty()) return std::nullopt;  // nothing ran: says nothing about the load
  int64_t end_ms = b.processing_end_ms;
  int64_t interval_ms = intervalOf(b);
  if (b.totalDelayMs() <= interval_ms) {
    bool was_warned = warned_this_streak_;
    int streak = state_.consecutive_overloaded;
    state_.consecutive_overloaded = 0;
    state_.overloaded = false;
    warned_this_streak_ = false;
    streak_processing_ms_ = 0;
    if (!was_warned) return std::nullopt;
    return Report{Report::Level::kInfo,
                  fmt::format("streaming keeps up again: batch {} had total delay {} ms (processing time {} ms) "
                              "within the {} ms batch interval, after {} overloaded batches; {} batches queued",
                              b.batch_time, b.totalDelayMs(), b.processingTimeMs(), interval_ms, streak, queued)};
  }
  ++state_.consecutive_overloaded;
  streak_processing_ms_ += std::max<int64_t>(0, b.processingTimeMs());
  state_.overloaded = state_.consecutive_overloaded >= kBatchesToWarn;
  if (!state_.overloaded) return std::nullopt;
  if (last_warning_ms_ >= 0 && end_ms - last_warning_ms_ < repeat_after_.count()) return std::nullopt;
  std::string text = warning(b, queued);
  last_warning_ms_ = end_ms;
  warned_this_streak_ = true;
  ++state_.warnings;
  return Report{Report::Level::kWarn, std::move(text)};
}

int64_t OverloadDetector::intervalOf(const BatchInfo& b) const {
  return b.interval_ms > 0 ? b.interval_ms : interval_.ms;
}

std::string OverloadDetector::warning(const BatchInfo& b, int64_t queued) const {
  int64_t mean_processing = streak_processing_ms_ / state_.consecutive_overloaded;
  return fmt::format(
      "streaming is falling behind: {} batches in a row had a total delay over the {} ms batch interval (the "
      "last, batch {}: processing time {} ms, total delay {} ms); mean processing time {} ms against the {} ms "
      "interval; {} batches queued. Give each batch more time or less input: a longer interval "
      "(streaming.batchDuration, sluice-submit --batch-duration, or the interval in code), a cap on the input "
      "(streaming.receiver.maxRate), or backpressure (streaming.backpressure.enabled=true)",
      state_.consecutive_overloaded, intervalOf(b), b.batch_time, b.processingTimeMs(), b.totalDelayMs(),
      mean_processing, intervalOf(b), queued);
}

}  // namespace sluice
