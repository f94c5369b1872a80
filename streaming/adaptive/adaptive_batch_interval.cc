#include "streaming/adaptive/adaptive_batch_interval.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "common/config_keys.h"

namespace sluice {

StatusOr<std::unique_ptr<AdaptiveBatchInterval>> AdaptiveBatchInterval::fromConf(const Conf& conf,
                                                                               Duration initial) {
  if (!conf.get(keys::kStreamingBatchDurationAdaptive)) return std::unique_ptr<AdaptiveBatchInterval>();
  AdaptiveIntervalParams params;
  params.min = Milliseconds(conf.get(keys::kStreamingBatchDurationAdaptiveMin).count());
  params.max = Milliseconds(conf.get(keys::kStreamingBatchDurationAdaptiveMax).count());
  params.target_ratio = conf.get(keys::kStreamingBatchDurationAdaptiveTargetRatio);
  SLUICE_RETURN_IF_ERROR(params.validate());
  return std::make_unique<AdaptiveBatchInterval>(params, initial);
}

AdaptiveBatchInterval::AdaptiveBatchInterval(const AdaptiveIntervalParams& params, Duration initial)
    : controller_(params, initial), last_logged_(controller_.interval()) {}

Duration AdaptiveBatchInterval::interval() const {
  std::lock_guard<std::mutex> lock(mu_);
  return controller_.interval();
}

AdaptiveBatchInterval::Current AdaptiveBatchInterval::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {controller_.interval(), version_};
}

bool AdaptiveBatchInterval::waitUntil(Clock& clock, int64_t target_ms, uint64_t version,
                                      std::stop_token stop) const {
  std::stop_source changed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (version != version_) return !stop.stop_requested();
    waiters_.insert(&changed);
  }
  {
    std::stop_callback forward(stop, [&changed] { changed.request_stop(); });
    clock.waitUntil(target_ms, changed.get_token());
  }
  std::lock_guard<std::mutex> lock(mu_);
  waiters_.erase(&changed);
  return !stop.stop_requested();
}

std::string AdaptiveBatchInterval::describe() const {
  std::lock_guard<std::mutex> lock(mu_);
  const AdaptiveIntervalParams& p = controller_.params();
  return "adaptive between " + p.min.toString() + " and " + p.max.toString() + ", aiming at processing in " +
         fmt::format("{:g}", p.target_ratio) + " of the interval";
}

void AdaptiveBatchInterval::onBatchCompleted(const BatchInfo& batch) {
  BatchSample sample{batch.interval_ms, batch.processingTimeMs(), batch.num_records,
                     std::max<int64_t>(0, batch.schedulingDelayMs())};
  std::lock_guard<std::mutex> lock(mu_);
  Duration before = controller_.interval();
  Duration after = controller_.update(sample);
  if (after == before) return;
  ++version_;
  for (std::stop_source* waiter : waiters_) waiter->request_stop();
  const ProcessingModel& m = controller_.model();
  spdlog::debug("batch {}: {} records in {} ms over {} ms (scheduling delay {} ms): next interval {} ms{}",
                batch.batch_time, sample.records, sample.processing_ms, sample.interval_ms,
                sample.scheduling_delay_ms, after.ms,
                m.valid ? fmt::format(" (model: {:.0f} ms + {:.4f} ms/record)", m.overhead_ms, m.ms_per_record) : "");
  double moved = static_cast<double>(after.ms) / static_cast<double>(last_logged_.ms);
  if (moved >= 1.5 || moved <= 1 / 1.5) {
    spdlog::info("adaptive batch interval: {} ms (was {} ms); batch {} took {} ms for {} records over {} ms", after.ms,
                 last_logged_.ms, batch.batch_time, sample.processing_ms, sample.records, sample.interval_ms);
    last_logged_ = after;
  }
}

}  // namespace sluice
