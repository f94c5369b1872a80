// DStreamBase: the type-erased face of a discretized stream — its slide, its parents, the
// RDDs it generated per batch time and how long it keeps them (Spark's DStream).
//
// THREADING: a DStream graph is built by the user before StreamingContext::start() and
// afterwards read and advanced only by the JobGenerator thread, except for slice(), which
// takes the stream's lock.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "streaming/duration.h"

namespace sluice {

class JobContext;
class StreamingContext;
struct StateSnapshot;

// Streams whose RDD of each batch is computed from their own previous one (state streams,
// windows with an inverse function) would otherwise hold every earlier batch's lineage,
// and with it every earlier shuffle's output, for ever. As mapWithState's in Spark, their
// default checkpoint interval is this many slides (Spark's other stateful streams take the
// smallest multiple of the slide of at least 10 s: the same at a 1 s slide).
inline constexpr int64_t kLineageCutBatches = 10;

class DStreamBase {
 public:
  explicit DStreamBase(StreamingContext* ssc) : ssc_(ssc) {}
  virtual ~DStreamBase() = default;

  virtual Duration slideDuration() const = 0;
  virtual std::vector<std::shared_ptr<DStreamBase>> dependencies() const = 0;
  virtual std::string name() const = 0;
  // How far back before its batch time this stream's own computation reads its parents (a
  // window's length); 0 for a stream that reads only its parents' RDDs of the same time.
  // Parents remember this stream's remember duration plus this, as Spark's
  // parentRememberDuration (rememberDuration, plus the window for windows).
  virtual Duration lookBackDuration() const { return Duration{0}; }
  // A window's length; nullopt for a stream that is not a window. DStreamGraph::validate()
  // checks that it and the slide are multiples of the parents' slides.
  virtual std::optional<Duration> windowDuration() const { return std::nullopt; }

  // Called once by start(), parents first: fixes the zero time, the remember duration.
  // With variable_intervals (streaming.batchDuration.adaptive) any time after the zero
  // time the JobGenerator picks is a batch time, not only zero + k * slide.
  void initialize(Time zero_time, bool variable_intervals = false);
  void setMinRememberDuration(Duration d);
  // Forgets RDDs older than the remember duration before time (after batch `time` ran).
  virtual void clearOldRDDs(Time time) = 0;
  // Before batch t is generated: checkpoints (cuts the lineage of) the RDD of the last
  // checkpoint time before t, once (DStreamNode). Throws JobFailedError when that fails.
  virtual void checkpointBefore(Time t) = 0;

  bool isTimeValid(Time t) const {
    return t > zero_time_ && (variable_intervals_ || (t - zero_time_) % slideDuration().ms == 0);
  }
  bool variableIntervals() const { return variable_intervals_; }
  // Whether each batch's RDD is computed from this stream's previous one (state streams,
  // windows with an inverse function): registered by registerStateful().
  bool isStateful() const { return stateful_; }
  // Spark's DStream.checkpoint(interval): the RDD of every batch time zero + k * interval
  // (k >= 1) is checkpointed, its lineage cut (DStreamNode::checkpointBefore). Before start()
  // (std::logic_error after); DStreamGraph::validate() refuses at start() an interval that
  // is not a positive multiple of the slide.
  void setCheckpointInterval(Duration interval);
  // The interval set by setCheckpointInterval(), nullopt when none was.
  std::optional<Duration> explicitCheckpointInterval() const { return checkpoint_interval_; }
  // The interval in effect: the one set, else kLineageCutBatches slides for a stateful
  // stream, else none (a stream that is not checkpointed).
  std::optional<Duration> checkpointInterval() const;
  // Whether the RDD of batch time t is one that is checkpointed (t after the zero time, on
  // the checkpoint interval's grid). mapWithState looks for timed-out keys in those batches.
  bool isCheckpointTime(Time t) const;
  Time zeroTime() const { return zero_time_; }
  Duration rememberDuration() const { return remember_; }
  StreamingContext* context() const { return ssc_; }
  // The SparkContext-like driver context that runs this stream's jobs.
  JobContext* jobContext() const;
  // Drops the cached partitions of these RDDs on every executor (Spark unpersists the
  // persisted RDDs of batches its streams forget). Thread-safe; a no-op without executors.
  void unpersistRDDs(const std::vector<int>& rdd_ids) const;

  // For stateful streams (state_snapshots.h): registers one, whose restore() gets its
  // checkpointed state back; whether states go into checkpoints; saves one state.
  int addStateStream(std::function<void(const StateSnapshot&)> restore) const;
  bool checkpointsState() const;
  void saveState(int id, Time t, std::string bytes) const;

 protected:
  StreamingContext* ssc_;
  Time zero_time_ = -1;
  Duration remember_{0};
  bool variable_intervals_ = false;
  bool stateful_ = false;
  std::optional<Duration> checkpoint_interval_;
  mutable std::mutex mu_;
};

}  // namespace sluice
