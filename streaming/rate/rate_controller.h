// RateController: backpressure on the driver (Spark's ReceiverRateController). It listens
// to batch completion and, for each receiver's input stream, feeds the batch's records of
// that stream, processing time and scheduling delay to that stream's PIDRateEstimator;
// each new estimate goes to the receiver through ReceiverTracker::sendRateUpdate (an
// UpdateRateLimit to its executor, which applies it to the receiver's token bucket within
// streaming.receiver.maxRate). A batch without the stream's record count, or that the
// estimator skips, changes nothing.
//
// THREADING: onBatchCompleted() may run on any job thread; estimators are guarded by mu_.
// The tracker must outlive the controller, and the controller the job scheduler it is a
// listener of.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "common/conf.h"
#include "common/status.h"
#include "streaming/rate/pid_rate_estimator.h"
#include "streaming/streaming_listener.h"

namespace sluice {

class ReceiverTracker;

class RateController : public StreamingListener {
 public:
  // One estimator per stream id, with the streaming.backpressure.pid.* parameters of conf;
  // InvalidArgument when they are out of range.
  static StatusOr<std::unique_ptr<RateController>> create(const Conf& conf, int64_t batch_interval_ms,
                                                          const std::vector<int>& stream_ids,
                                                          ReceiverTracker& tracker);

  // With streaming.backpressure.enabled, a controller for every receiver of tracker (one
  // info line says so and with which parameters); null when backpressure is off.
  // InvalidArgument when the parameters are out of range.
  static StatusOr<std::unique_ptr<RateController>> fromConf(const Conf& conf, int64_t batch_interval_ms,
                                                            ReceiverTracker& tracker);

  void onBatchCompleted(const BatchInfo& batch) override;
  // The last bound sent for stream_id, 0 when none.
  int64_t latestRate(int stream_id) const;

 private:
  RateController(ReceiverTracker& tracker, std::map<int, PIDRateEstimator> estimators)
      : tracker_(tracker), estimators_(std::move(estimators)) {}

  ReceiverTracker& tracker_;
  mutable std::mutex mu_;
  std::map<int, PIDRateEstimator> estimators_;  // by stream id
  std::map<int, int64_t> latest_;               // by stream id
};

}  // namespace sluice
