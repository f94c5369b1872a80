#include "streaming/ui/streaming_health.h"

#include "common/ui/units.h"

namespace sluice {

const char* StreamingHealth::cssClass() const {
  switch (level) {
    case Level::kOk:
      return "ok";
    case Level::kWarn:
      return "warn";
    case Level::kBad:
      return "bad";
  }
  return "ok";
}

StreamingHealth streamingHealth(const StreamingProgress& p) {
  StreamingHealth h;
  for (const auto& b : p.active) (b.processing_start_ms < 0 ? h.queued : h.processing) += 1;
  if (!p.completed.empty()) h.last_total_delay_ms = p.completed.back().totalDelayMs();
  const std::string interval = ui::formatDuration(p.batch_duration_ms);
  const std::string queued =
      std::to_string(h.queued) + (h.queued == 1 ? " batch" : " batches") + " queued";
  const bool slow = h.last_total_delay_ms > p.batch_duration_ms;
  const std::string last =
      "the last batch took " + ui::formatDuration(h.last_total_delay_ms) + " (total delay)";
  if (h.queued >= kOverloadedQueuedBatches) {
    h.level = StreamingHealth::Level::kBad;
    h.headline = "Overloaded: " + queued + "; " +
                 (h.last_total_delay_ms >= 0 ? last + " against a " : "a ") + interval +
                 " batch interval. Batches arrive faster than they are processed.";
  } else if (h.queued >= 2 || slow) {
    h.level = StreamingHealth::Level::kWarn;
    h.headline = "Falling behind: " + queued + "; " +
                 (h.last_total_delay_ms >= 0 ? last + (slow ? ", more than" : ", within") + " the "
                                             : "the ") +
                 interval + " batch interval.";
  } else if (h.last_total_delay_ms < 0) {
    h.headline = "Waiting for the first batch to complete (batch interval " + interval + ").";
  } else {
    h.headline = "Stable: batches complete within the " + interval +
                 " batch interval (last total delay " + ui::formatDuration(h.last_total_delay_ms) +
                 ").";
  }
  return h;
}

}  // namespace sluice
