#include "streaming/rate/pid_rate_estimator.h"

#include <algorithm>
#include <string>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"

namespace sluice {

PIDRateEstimatorParams PIDRateEstimatorParams::fromConf(const Conf& conf, int64_t batch_interval_ms) {
  PIDRateEstimatorParams p;
  p.batch_interval_ms = batch_interval_ms;
  p.proportional = conf.get(keys::kStreamingBackpressurePidProportional);
  p.integral = conf.get(keys::kStreamingBackpressurePidIntegral);
  p.derivative = conf.get(keys::kStreamingBackpressurePidDerived);
  p.min_rate = conf.get(keys::kStreamingBackpressurePidMinRate);
  return p;
}

StatusOr<PIDRateEstimator> PIDRateEstimator::create(const PIDRateEstimatorParams& p) {
  auto bad = [](const std::string& what) { return Status::invalidArgument("backpressure: " + what); };
  if (p.batch_interval_ms <= 0) return bad("the batch interval " + std::to_string(p.batch_interval_ms) + " ms is invalid");
  if (p.proportional < 0) return bad("pid.proportional " + std::to_string(p.proportional) + " should be >= 0");
  if (p.integral < 0) return bad("pid.integral " + std::to_string(p.integral) + " should be >= 0");
  if (p.derivative < 0) return bad("pid.derived " + std::to_string(p.derivative) + " should be >= 0");
  if (p.min_rate <= 0) return bad("pid.minRate " + std::to_string(p.min_rate) + " should be > 0");
  return PIDRateEstimator(p);
}

std::optional<double> PIDRateEstimator::compute(int64_t time_ms, int64_t num_records, int64_t processing_ms,
                                                int64_t scheduling_ms) {
  if (time_ms <= latest_time_ || num_records <= 0 || processing_ms <= 0) return std::nullopt;
  // In seconds, close to the batch interval.
  double since_update = static_cast<double>(time_ms - latest_time_) / 1000.0;
  // Records per second.
  double processing_rate = static_cast<double>(num_records) / static_cast<double>(processing_ms) * 1000.0;
  // The desired rate is the one asked for last time.
  double error = latest_rate_ - processing_rate;
  // A scheduling delay s means about s * processing_rate records were waiting; drained
  // over one batch interval, that is this rate, the accumulated error.
  double historical_error =
      static_cast<double>(scheduling_ms) * processing_rate / static_cast<double>(p_.batch_interval_ms);
  // Records per second squared.
  double d_error = (error - latest_error_) / since_update;
  double new_rate = std::max(
      latest_rate_ - p_.proportional * error - p_.integral * historical_error - p_.derivative * d_error, p_.min_rate);
  latest_time_ = time_ms;
  if (first_run_) {
    latest_rate_ = processing_rate;
    latest_error_ = 0;
    first_run_ = false;
    return std::nullopt;
  }
  latest_rate_ = new_rate;
  latest_error_ = error;
  return new_rate;
}

}  // namespace sluice
