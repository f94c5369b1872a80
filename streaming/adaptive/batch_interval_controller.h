// BatchIntervalController: the policy of the adaptive batch interval, after Das et al.,
// "Adaptive Stream Processing using Dynamic Batch Sizing" (SoCC 2014). After each batch it
// is told the batch's interval, processing time, records and scheduling delay, and picks
// the interval of the next batch so that processing takes about target_ratio of it:
//
//  1. Fixed point: the interval at which the last batch's processing time would be on
//     target is p / ratio. When processing time is a + b x (overhead plus work growing
//     with the interval x), iterating x' = (a + b x) / ratio converges to the smallest
//     stable interval a / (ratio - b) whenever b < ratio.
//  2. Model: processing time is fitted as a + c n over the last `history` batches (n their
//     records; the paper fits it against batch size), and with the last batch's input rate
//     r (records per ms) the smallest interval whose predicted processing time is on
//     target is a / (ratio - c r). The fit only speeds growth (the wanted interval is the
//     larger of the two): after a step up of the rate it jumps to where the fixed point
//     would crawl. When c r >= ratio no interval is stable: it grows as fast as allowed.
//  3. Damping: it grows at most max_growth times per batch (fast, on overload) and shrinks
//     at most max_shrink of the interval per batch (slowly); a change smaller than
//     deadband is no change; it never shrinks while batches wait (the last batch's
//     scheduling delay is over (1 - ratio) of its interval: a queue is draining).
//  4. Bounds: the result is within [min, max], in whole milliseconds.
//
// Pure: no clock, no threads, no I/O. THREADING: not thread-safe; AdaptiveBatchInterval
// guards it.
#pragma once

#include <cstdint>
#include <deque>

#include "common/status.h"
#include "streaming/duration.h"

namespace sluice {

// One completed batch, as the controller sees it.
struct BatchSample {
  int64_t interval_ms = 0;  // the time the batch covered (its batch time minus the previous one)
  int64_t processing_ms = 0;
  int64_t records = 0;
  int64_t scheduling_delay_ms = 0;
};

struct AdaptiveIntervalParams {
  Duration min = Milliseconds(100);
  Duration max = Seconds(10);
  double target_ratio = 0.7;  // processing time / interval aimed at, in (0, 1]
  int history = 10;           // batches the processing-time model is fitted over
  double max_growth = 2.0;    // next interval <= max_growth x this one
  double max_shrink = 0.1;    // next interval >= (1 - max_shrink) x this one
  double deadband = 0.05;     // a wanted change under this fraction of the interval is ignored

  // InvalidArgument naming the streaming.batchDuration.adaptive.* key that is out of range.
  Status validate() const;
};

// The last fit of processing time against records: processing_ms = overhead_ms +
// ms_per_record x records. valid is false until enough batches of different sizes were seen.
struct ProcessingModel {
  bool valid = false;
  double overhead_ms = 0;
  double ms_per_record = 0;
};

class BatchIntervalController {
 public:
  // params must be valid (validate()); initial is clamped to [min, max].
  BatchIntervalController(const AdaptiveIntervalParams& params, Duration initial);

  // Takes one completed batch and returns the interval for the next one (also interval()).
  // A sample without a positive interval or with a negative processing time changes nothing.
  Duration update(const BatchSample& batch);
  Duration interval() const { return interval_; }
  const ProcessingModel& model() const { return model_; }
  const AdaptiveIntervalParams& params() const { return params_; }

 private:
  // The interval the samples ask for, before damping and bounds.
  double wanted(const BatchSample& last) const;
  ProcessingModel fit() const;

  const AdaptiveIntervalParams params_;
  Duration interval_;
  std::deque<BatchSample> history_;
  ProcessingModel model_;
};

}  // namespace sluice
