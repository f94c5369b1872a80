// Grid points: the runs of one (interval, rate) put together into one verdict, the unit
// that the neighbour check, the verdict lines and the plots work on.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/tune/run_record.h"
#include "bench/tune/stability.h"

namespace sluice::tune {

struct RunOutcome {
  RunMeasurement run;
  RunVerdict verdict;
};

struct PointKey {
  int64_t interval_ms = 0;
  int64_t rate = 0;  // 0: not limited
  auto operator<=>(const PointKey&) const = default;
};

// A point's verdict comes from the runs of its latest attempt only: a point measured again
// (attempt 2) is judged by the new runs; the old ones stay in the CSVs.
struct PointSummary {
  PointKey key;
  int attempt = 1;
  int runs = 0;
  int stable_runs = 0;
  bool stable = false;              // every run of the attempt was stable
  int64_t p50_total_delay_ms = -1;  // median of the runs' p50
  int64_t p99_total_delay_ms = -1;  // highest of the runs' p99
  double sustained_per_s = 0;       // median of the runs'
  double processed_per_s = 0;       // median of the runs'
  double offered_per_s = 0;
  std::string contradiction;  // set when it still contradicts its neighbours at the end
};

// One summary per point that has runs, ordered by rate, then interval.
std::vector<PointSummary> summarizePoints(const std::vector<RunOutcome>& outcomes);

// "50000 records/s", or "an unlimited rate" for 0.
std::string rateText(int64_t rate);

}  // namespace sluice::tune
