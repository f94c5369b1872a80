// PIDRateEstimator: Spark's backpressure rate estimator, a proportional-integral-derivative
// controller on the rate at which records enter the stream. After each batch it compares
// the rate it asked for last time with the rate the batch was processed at (its records
// over its processing time): the difference is the error; the scheduling delay, turned
// into the rate that would have drained the records waiting behind it, is the
// accumulated (integral) error; the error's change since the last batch is the
// derivative. The new bound is
//
//   latest rate - proportional * error - integral * historical error - derived * dError,
//
// never below minRate. The first batch only records its processing rate; batches with no
// records, no processing time, or a time not after the last one give no estimate.
//
// THREADING: not thread-safe; one RateController calls it from one listener thread.
#pragma once

#include <cstdint>
#include <optional>

#include "common/conf.h"
#include "common/status.h"

namespace sluice {

struct PIDRateEstimatorParams {
  int64_t batch_interval_ms = 0;
  double proportional = 1.0;  // streaming.backpressure.pid.proportional
  double integral = 0.2;      // streaming.backpressure.pid.integral
  double derivative = 0.0;    // streaming.backpressure.pid.derived
  double min_rate = 100;      // streaming.backpressure.pid.minRate
  // The parameters from conf's streaming.backpressure.pid.* keys.
  static PIDRateEstimatorParams fromConf(const Conf& conf, int64_t batch_interval_ms);
};

class PIDRateEstimator {
 public:
  // InvalidArgument, saying which, unless the interval and minRate are > 0 and the three
  // gains >= 0 (Spark's require()s).
  static StatusOr<PIDRateEstimator> create(const PIDRateEstimatorParams& params);

  // The new bound in records per second, from the batch that ended at time_ms (the
  // processing end), with num_records records, processing_ms of processing and
  // scheduling_ms of scheduling delay; nullopt when the batch gives no estimate.
  std::optional<double> compute(int64_t time_ms, int64_t num_records, int64_t processing_ms, int64_t scheduling_ms);

 private:
  explicit PIDRateEstimator(const PIDRateEstimatorParams& params) : p_(params) {}

  PIDRateEstimatorParams p_;
  bool first_run_ = true;
  int64_t latest_time_ = -1;
  double latest_rate_ = -1;
  double latest_error_ = -1;
};

}  // namespace sluice
