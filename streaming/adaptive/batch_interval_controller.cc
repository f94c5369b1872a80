#include "streaming/adaptive/batch_interval_controller.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/config_keys.h"

namespace sluice {

Status AdaptiveIntervalParams::validate() const {
  if (min.ms <= 0) {
    return Status::invalidArgument(std::string(keys::kStreamingBatchDurationAdaptiveMin.name) +
                                   " must be positive, got " + min.toString());
  }
  if (max < min) {
    return Status::invalidArgument(std::string(keys::kStreamingBatchDurationAdaptiveMax.name) + " (" +
                                   max.toString() + ") must not be below " +
                                   keys::kStreamingBatchDurationAdaptiveMin.name + " (" + min.toString() + ")");
  }
  if (!(target_ratio > 0 && target_ratio <= 1)) {
    return Status::invalidArgument(std::string(keys::kStreamingBatchDurationAdaptiveTargetRatio.name) +
                                   " must be in (0, 1], got " + std::to_string(target_ratio));
  }
  if (history < 3 || !(max_growth > 1) || !(max_shrink > 0 && max_shrink < 1) || !(deadband >= 0 && deadband < 1)) {
    return Status::invalidArgument("adaptive batch interval: history >= 3, max_growth > 1, 0 < max_shrink < 1 and "
                                   "0 <= deadband < 1 are required");
  }
  return Status::ok();
}

BatchIntervalController::BatchIntervalController(const AdaptiveIntervalParams& params, Duration initial)
    : params_(params), interval_(std::clamp(initial, params.min, params.max)) {}

ProcessingModel BatchIntervalController::fit() const {
  ProcessingModel m;
  if (history_.size() < 3) return m;
  double n_mean = 0, p_mean = 0;
  int64_t n_min = std::numeric_limits<int64_t>::max(), n_max = 0;
  for (const auto& s : history_) {
    n_mean += static_cast<double>(s.records);
    p_mean += static_cast<double>(s.processing_ms);
    n_min = std::min(n_min, s.records);
    n_max = std::max(n_max, s.records);
  }
  // Batches of about one size say nothing about the cost of a record.
  if (n_max <= 0 || static_cast<double>(n_max - n_min) < 0.2 * static_cast<double>(n_max)) return m;
  double k = static_cast<double>(history_.size());
  n_mean /= k;
  p_mean /= k;
  double cov = 0, var = 0;
  for (const auto& s : history_) {
    double dn = static_cast<double>(s.records) - n_mean;
    cov += dn * (static_cast<double>(s.processing_ms) - p_mean);
    var += dn * dn;
  }
  double slope = cov / var;
  if (!(slope > 0)) return m;
  m.valid = true;
  m.ms_per_record = slope;
  m.overhead_ms = std::max(0.0, p_mean - slope * n_mean);
  return m;
}

double BatchIntervalController::wanted(const BatchSample& last) const {
  const double ratio = params_.target_ratio;
  const double current = static_cast<double>(interval_.ms);
  double want = static_cast<double>(last.processing_ms) / ratio;  // the fixed-point step
  if (model_.valid) {
    double rate = static_cast<double>(last.records) / static_cast<double>(last.interval_ms);
    double load = model_.ms_per_record * rate;  // processing ms per ms of interval, beyond the overhead
    double smallest_stable =
        load >= ratio ? current * params_.max_growth : model_.overhead_ms / (ratio - load);
    want = std::max(want, smallest_stable);
  }
  // A queue is draining: shrinking now would feed it.
  if (static_cast<double>(last.scheduling_delay_ms) > (1 - ratio) * static_cast<double>(last.interval_ms)) {
    want = std::max(want, current);
  }
  return want;
}

Duration BatchIntervalController::update(const BatchSample& batch) {
  if (batch.interval_ms <= 0 || batch.processing_ms < 0) return interval_;
  history_.push_back(batch);
  while (static_cast<int>(history_.size()) > params_.history) history_.pop_front();
  model_ = fit();

  const double current = static_cast<double>(interval_.ms);
  double want = wanted(batch);
  double next = want > current ? std::min(want, current * params_.max_growth)
                               : std::max(want, current * (1 - params_.max_shrink));
  if (std::abs(next - current) < params_.deadband * current) next = current;
  next = std::clamp(std::round(next), static_cast<double>(params_.min.ms), static_cast<double>(params_.max.ms));
  interval_ = Milliseconds(static_cast<int64_t>(next));
  return interval_;
}

}  // namespace sluice
