// The stability judgement of one run: does the application keep up at this interval and
// rate? Pure functions of a RunMeasurement, so that tests can feed them made-up batches.
//
// A run is stable when all of these hold over its measured batches:
//   - there are at least `min_batches` of them;
//   - the queue does not grow: the least-squares trend of scheduling delay against batch
//     time, times the measured span, is at most `trend_tolerance` x the interval (the
//     queue grew by less than that fraction of one batch over the whole period);
//   - nothing is queued at the end: no batch is still QUEUED (not started) a whole
//     interval after its batch time in the last snapshot (the batch generated a moment
//     before the snapshot, waiting for the one before to finish, is not a backlog);
//   - the p99 total delay is below the interval;
//   - when the rate is limited: the records/s sustained (the records of the measured
//     batches over their stream time: what the source delivered and the receivers took
//     in; whether processing kept up is what the conditions above judge) are at least
//     `min_sustained` x the records/s offered (a source that cannot deliver the rate has
//     not shown that the application sustains it).
// Batches not completed by the last snapshot count with lower bounds: their scheduling
// and total delay are at least the time from their batch time to the snapshot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/tune/run_record.h"

namespace sluice::tune {

struct StabilityCriteria {
  double trend_tolerance = 0.5;  // queue growth over the measured span, in intervals
  int min_batches = 5;
  double min_sustained = 0.9;  // of the offered rate
};

struct RunVerdict {
  int measured_batches = 0;
  int64_t p50_total_delay_ms = -1;  // -1 without measured batches
  int64_t p99_total_delay_ms = -1;
  double scheduling_trend_ms_per_s = 0;  // least-squares slope of scheduling delay
  double scheduling_growth_ms = 0;       // that slope times the measured span
  int queued_at_end = 0;
  double sustained_per_s = 0;  // records of the measured batches / their stream time
  // Records of the batches that completed within the measured period (batch time plus
  // total delay) / its length: what the application got through. Reported and plotted,
  // not judged: below the offered rate when the queue grows.
  double processed_per_s = 0;
  double offered_per_s = 0;    // 0 when the rate is not limited
  // The machine's own pauses (stall_probe.h) of at least an interval that overlap the
  // measured period, and the longest. Not judged: an unstable run's `why` names them,
  // since no application keeps a batch on time while its CPU does not run.
  int machine_stalls = 0;
  int64_t worst_machine_stall_ms = 0;
  bool stable = false;
  std::string why;  // the failed conditions, or the figures that passed
};

RunVerdict judgeRun(const RunMeasurement& run, const StabilityCriteria& criteria);

// The nearest-rank q-quantile (0 < q <= 1) of values; -1 when empty.
int64_t percentile(std::vector<int64_t> values, double q);
// v rounded to a whole number, as text ("-0" never: "0").
std::string rounded(double v);
// The least-squares slope of y against x; 0 with fewer than two distinct x.
double leastSquaresSlope(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace sluice::tune
