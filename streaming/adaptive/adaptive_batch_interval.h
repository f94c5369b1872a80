// AdaptiveBatchInterval: streaming.batchDuration.adaptive on the driver. It listens to
// every completed batch, gives the batch's interval, processing time, records and
// scheduling delay to a BatchIntervalController (batch_interval_controller.h), and holds
// the interval the JobGenerator cuts the next batch at. The interval starts at the batch
// interval in effect (the code's or streaming.batchDuration), clamped to
// streaming.batchDuration.adaptive.min..max. An info line at start says it is on and with
// which bounds; each change is logged at debug level, and at info level when the interval
// has moved by half or more since the last info line.
//
// The JobGenerator waits for the next batch time through waitUntil(), which also returns
// when the interval changes, so that a batch that completes late moves the next batch time
// at once (and on a manual clock, tests see each batch time follow from the batches
// before it, whichever thread runs first).
//
// THREADING: onBatchCompleted() runs on job threads, interval(), current() and waitUntil()
// on the JobGenerator's thread and anywhere else; all take mu_ (waitUntil() not while it
// waits). It must outlive the job scheduler it listens to and the JobGenerator.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>

#include "common/clock.h"
#include "common/conf.h"
#include "common/status.h"
#include "streaming/adaptive/batch_interval_controller.h"
#include "streaming/streaming_listener.h"

namespace sluice {

class AdaptiveBatchInterval : public StreamingListener {
 public:
  // Null when streaming.batchDuration.adaptive is off; InvalidArgument when its min, max or
  // targetRatio is out of range (the message names the key).
  static StatusOr<std::unique_ptr<AdaptiveBatchInterval>> fromConf(const Conf& conf, Duration initial);
  AdaptiveBatchInterval(const AdaptiveIntervalParams& params, Duration initial);

  // The interval from the last batch time to the next.
  Duration interval() const;
  // The interval and its version (which goes up at every change), read together.
  struct Current {
    Duration interval;
    uint64_t version;
  };
  Current current() const;
  // Blocks until clock reaches target_ms (true), the interval changes from version (true at
  // once when it already has), or stop is requested (false).
  bool waitUntil(Clock& clock, int64_t target_ms, uint64_t version, std::stop_token stop) const;
  // "adaptive between 100 ms and 10000 ms, aiming at processing in 0.7 of the interval"
  std::string describe() const;
  void onBatchCompleted(const BatchInfo& batch) override;

 private:
  mutable std::mutex mu_;
  BatchIntervalController controller_;
  Duration last_logged_;  // the interval of the last info line
  uint64_t version_ = 0;
  mutable std::set<std::stop_source*> waiters_;  // one per waitUntil() in progress
};

}  // namespace sluice
