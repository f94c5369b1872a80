// What a run should have written, and what its windows say: the expected view counts
// recomputed from the run's parameters (the generator is deterministic), and YSB's latency
// per window from what Redis holds.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "bench/ysb/redis_layout.h"

namespace sluice::ysb {

// Views per (campaign, window) over every event of the run, as the pipeline should count them.
std::map<CampaignWindow, int64_t> expectedCounts(const RunInfo& run);

// YSB's latency measure over a run's complete windows: those that start at or after the
// schedule's start plus warmup_ms and end by the schedule's end (the first and last, partial,
// windows are left out). A window's latency is its last time_updated minus its end.
struct LatencyReport {
  int64_t windows = 0;     // (campaign, window) pairs measured
  int64_t missing = 0;     // of those, expected but not in Redis, or counted short: no latency
  int64_t wrong_counts = 0;  // windows (complete or not) whose count differs from the expected one
  int64_t first_window = 0;  // start of the first window measured, ms
  int64_t last_window = 0;   // start of the last window measured, ms
  // Percentiles (nearest rank) of the measured latencies in ms; a missing window counts as
  // infinitely late, so any missing window above the percentile's rank makes it -1 (unknown).
  int64_t p50_ms = -1;
  int64_t p90_ms = -1;
  int64_t p99_ms = -1;
  int64_t max_ms = -1;
};
// expected: expectedCounts(run) (computed once by the caller, it is the slow part).
LatencyReport latencyReport(const RunInfo& run, const std::vector<WindowRecord>& windows,
                            const std::map<CampaignWindow, int64_t>& expected, int64_t warmup_ms);

}  // namespace sluice::ysb
