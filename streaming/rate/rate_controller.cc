#include "streaming/rate/rate_controller.h"

#include <string>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "streaming/receiver_tracker.h"

namespace sluice {

StatusOr<std::unique_ptr<RateController>> RateController::create(const Conf& conf, int64_t batch_interval_ms,
                                                                 const std::vector<int>& stream_ids,
                                                                 ReceiverTracker& tracker) {
  auto params = PIDRateEstimatorParams::fromConf(conf, batch_interval_ms);
  std::map<int, PIDRateEstimator> estimators;
  for (int id : stream_ids) {
    auto estimator = PIDRateEstimator::create(params);
    if (!estimator) return estimator.status();
    estimators.emplace(id, std::move(*estimator));
  }
  return std::unique_ptr<RateController>(new RateController(tracker, std::move(estimators)));
}

StatusOr<std::unique_ptr<RateController>> RateController::fromConf(const Conf& conf, int64_t batch_interval_ms,
                                                                   ReceiverTracker& tracker) {
  if (!conf.get(keys::kStreamingBackpressureEnabled)) return std::unique_ptr<RateController>();
  std::vector<int> stream_ids;
  for (const auto& r : tracker.receivers()) stream_ids.push_back(r.stream_id);
  auto controller = create(conf, batch_interval_ms, stream_ids, tracker);
  if (!controller) return controller.status();
  auto p = PIDRateEstimatorParams::fromConf(conf, batch_interval_ms);
  int64_t initial = conf.get(keys::kStreamingBackpressureInitialRate);
  int64_t max_rate = conf.get(keys::kStreamingReceiverMaxRate);
  spdlog::info("backpressure on for {} receiver(s): PID proportional {}, integral {}, derived {}, minRate {} records/s; "
               "initialRate {}, maxRate {}",
               stream_ids.size(), p.proportional, p.integral, p.derivative, p.min_rate,
               initial > 0 ? std::to_string(initial) : "none", max_rate > 0 ? std::to_string(max_rate) : "unlimited");
  return controller;
}

void RateController::onBatchCompleted(const BatchInfo& batch) {
  int64_t processing = batch.processingTimeMs();
  int64_t scheduling = batch.schedulingDelayMs();
  if (processing < 0 || scheduling < 0) return;
  std::map<int, int64_t> updates;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, estimator] : estimators_) {
      auto records = batch.records_per_stream.find(id);
      if (records == batch.records_per_stream.end()) continue;
      auto rate = estimator.compute(batch.processing_end_ms, records->second, processing, scheduling);
      if (!rate) continue;
      int64_t bound = static_cast<int64_t>(*rate);
      spdlog::debug("backpressure: stream {} after batch {} ({} records, processing {} ms, scheduling delay {} ms): "
                    "rate {} -> {} records per second",
                    id, batch.batch_time, records->second, processing, scheduling, latest_[id], bound);
      latest_[id] = bound;
      updates[id] = bound;
    }
  }
  for (auto& [id, bound] : updates) tracker_.sendRateUpdate(id, bound);
}

int64_t RateController::latestRate(int stream_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = latest_.find(stream_id);
  return it == latest_.end() ? 0 : it->second;
}

}  // namespace sluice
