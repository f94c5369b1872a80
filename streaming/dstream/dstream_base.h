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

class DStreamBase {
 public:
  explicit DStreamBase(StreamingContext* ssc) : ssc_(ssc) {}
  virtual ~DStreamBase() = default;

  virtual Duration slideDuration() const = 0;
  virtual std::vector<std::shared_ptr<DStreamBase>> dependencies() const = 0;
  virtual std::string name() const = 0;
  // How far back this stream's own computation looks (a window's length); parents must
  // remember at least this long.
  virtual Duration parentRememberDuration() const { return slideDuration(); }
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

  bool isTimeValid(Time t) const {
    return t > zero_time_ && (variable_intervals_ || (t - zero_time_) % slideDuration().ms == 0);
  }
  bool variableIntervals() const { return variable_intervals_; }
  // Whether each batch's RDD is computed from this stream's previous one (state streams,
  // windows with an inverse function): registered by registerStateful().
  bool isStateful() const { return stateful_; }
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
  mutable std::mutex mu_;
};

}  // namespace sluice
