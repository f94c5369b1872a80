// DStreamNode<T>: a stream of RDD<T>, one per batch time, and the basic node kinds:
// transformations of one or two parent streams, unions, windows and output operations.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "common/serialize.h"
#include "streaming/dstream/dstream_base.h"
#include "streaming/recovery/state_snapshots.h"
#include "rdd/rdd.h"

namespace sluice {

// parts as an RDD with no parents, partition for partition.
template <class T>
RDD<T> rddOfParts(JobContext* ctx, std::vector<std::vector<T>> parts) {
  return RDD<T>(ctx, std::make_shared<ParallelCollectionRDD<T>>(ctx->newRddId(), std::move(parts)));
}

template <class T>
class DStreamNode : public DStreamBase {
 public:
  using DStreamBase::DStreamBase;

  // The RDD of batch time t: generated once and remembered; nullopt when t is not a
  // batch time of this stream. With a checkpoint interval (DStreamBase::checkpointInterval),
  // generating t first checkpoints the RDD of the last checkpoint time before t (see
  // checkpointBefore()), and the RDD of a checkpoint time is cached, as Spark persists a
  // checkpointed stream. Throws JobFailedError when the job of a checkpoint fails.
  std::optional<RDD<T>> getOrCompute(Time t) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = generated_.find(t);
      if (it != generated_.end()) return it->second;
    }
    if (!isTimeValid(t)) return std::nullopt;
    checkpointBefore(t);
    std::optional<RDD<T>> rdd = compute(t);
    if (rdd && this->isCheckpointTime(t)) rdd->cache();
    std::lock_guard<std::mutex> lock(mu_);
    generated_.emplace(t, rdd);
    return rdd;
  }

  // Spark's RDD checkpoint: the RDD of s, the last checkpoint time before t, is collected
  // to the driver into an RDD with no parents (partition for partition) that replaces it
  // for every later reader, so that the lineage of the stream's RDDs stops growing; a
  // registered stateful stream's copy also goes into the next checkpoint. Once per
  // checkpoint time: the graph calls it before it generates each batch, and
  // getOrCompute() before it computes one (a restarted driver recomputing old batches).
  // One job: for data that fits on the driver.
  void checkpointBefore(Time t) override {
    std::optional<Duration> interval = this->checkpointInterval();
    if (!interval || interval->ms <= 0 || t <= zero_time_) return;
    Time s = zero_time_ + (t - 1 - zero_time_) / interval->ms * interval->ms;
    std::optional<RDD<T>> original;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (s <= zero_time_ || s <= last_checkpoint_) return;
      auto it = generated_.find(s);
      if (it == generated_.end() || !it->second) return;
      original = it->second;
    }
    std::vector<std::vector<T>> parts = checkpointView(*original).glom().collect();
    if (state_id_ >= 0 && this->checkpointsState()) this->saveState(state_id_, s, toBytes(parts));
    RDD<T> copy = rddOfParts(original->context(), std::move(parts));
    spdlog::debug("{}: checkpointed the RDD of batch {} (lineage cut)", name(), s);
    std::lock_guard<std::mutex> lock(mu_);
    generated_[s] = copy;
    // Unpersisted by clearOldRDDs() with the batch it belonged to.
    if (original->node()->storageLevel() != StorageLevel::kNone) checkpointed_.emplace(s, *original);
    last_checkpoint_ = s;
  }

  // The batch times whose RDDs this stream still remembers (for tests and slice()).
  std::vector<Time> generatedTimes() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Time> times;
    for (auto& [t, rdd] : generated_) {
      if (rdd) times.push_back(t);
    }
    return times;
  }

  // Forgets old batches' RDDs and unpersists those that were cached (and are not also
  // the RDD of a batch still remembered).
  void clearOldRDDs(Time time) override {
    std::vector<int> unpersist;
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::set<int> dropped;
      for (auto it = generated_.begin(); it != generated_.end();) {
        if (it->first > time - remember_.ms) break;
        if (it->second && it->second->node()->storageLevel() != StorageLevel::kNone) dropped.insert(it->second->id());
        it = generated_.erase(it);
      }
      for (auto it = checkpointed_.begin(); it != checkpointed_.end() && it->first <= time - remember_.ms;) {
        dropped.insert(it->second.id());
        it = checkpointed_.erase(it);
      }
      for (auto& [t, rdd] : generated_) {
        if (rdd) dropped.erase(rdd->id());
      }
      unpersist.assign(dropped.begin(), dropped.end());
    }
    this->unpersistRDDs(unpersist);
  }

 protected:
  virtual std::optional<RDD<T>> compute(Time t) = 0;

  // For a stream whose every RDD depends on its previous one (state, windows with an
  // inverse function): from the constructor, so that it is checkpointed every
  // kLineageCutBatches slides unless set otherwise, and its state goes into checkpoints.
  void registerStateful() {
    this->stateful_ = true;
    state_id_ = this->addStateStream([this](const StateSnapshot& snapshot) {
      std::vector<std::vector<T>> parts;
      Status st = fromBytes(snapshot.bytes, parts);
      if (!st) throw std::runtime_error(name() + ": cannot read its checkpointed state: " + st.message());
      std::lock_guard<std::mutex> lock(mu_);
      generated_[snapshot.time] = rddOfParts(this->jobContext(), std::move(parts));
      last_checkpoint_ = std::max(last_checkpoint_, snapshot.time);
    });
  }
  // What a checkpoint of rdd keeps: rdd itself unless a stream needs less of it later.
  virtual RDD<T> checkpointView(const RDD<T>& rdd) { return rdd; }

 private:
  std::map<Time, std::optional<RDD<T>>> generated_;
  std::map<Time, RDD<T>> checkpointed_;  // cached RDDs that checkpointBefore() replaced
  Time last_checkpoint_ = -1;            // the last batch time checkpointed or restored
  int state_id_ = -1;
};

// f(RDD<T>, Time) -> RDD<U>, batch by batch (map, filter, transform, reduceByKey, ...).
// When the parent has no RDD for a batch, a lenient stream (map, filter, ...) has none
// either, while a strict one (transform) throws, as in Spark.
template <class T, class U>
class TransformedDStream : public DStreamNode<U> {
 public:
  using Fn = std::function<RDD<U>(const RDD<T>&, Time)>;
  TransformedDStream(std::shared_ptr<DStreamNode<T>> parent, Fn f, std::string name, bool strict = false)
      : DStreamNode<U>(parent->context()), parent_(std::move(parent)), f_(std::move(f)), name_(std::move(name)),
        strict_(strict) {}

  Duration slideDuration() const override { return parent_->slideDuration(); }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override { return {parent_}; }
  std::string name() const override { return name_; }

 protected:
  std::optional<RDD<U>> compute(Time t) override {
    auto rdd = parent_->getOrCompute(t);
    if (!rdd) {
      if (strict_) throw std::runtime_error(name_ + ": couldn't generate RDD from parent at time " + std::to_string(t));
      return std::nullopt;
    }
    return f_(*rdd, t);
  }

 private:
  std::shared_ptr<DStreamNode<T>> parent_;
  Fn f_;
  std::string name_;
  bool strict_;
};

// f(RDD<A>, RDD<B>, Time) -> RDD<U> over two streams of the same slide (transformWith,
// join, cogroup). A parent without an RDD for a batch is an error, as in Spark.
template <class A, class B, class U>
class TransformedDStream2 : public DStreamNode<U> {
 public:
  using Fn = std::function<RDD<U>(const RDD<A>&, const RDD<B>&, Time)>;
  TransformedDStream2(std::shared_ptr<DStreamNode<A>> a, std::shared_ptr<DStreamNode<B>> b, Fn f, std::string name)
      : DStreamNode<U>(a->context()), a_(std::move(a)), b_(std::move(b)), f_(std::move(f)), name_(std::move(name)) {
    if (!(a_->slideDuration() == b_->slideDuration())) {
      throw std::invalid_argument(name_ + ": the two streams have different slide durations");
    }
  }

  Duration slideDuration() const override { return a_->slideDuration(); }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override { return {a_, b_}; }
  std::string name() const override { return name_; }

 protected:
  std::optional<RDD<U>> compute(Time t) override {
    auto a = a_->getOrCompute(t);
    auto b = b_->getOrCompute(t);
    if (!a || !b) throw std::runtime_error(name_ + ": couldn't generate RDD from parent at time " + std::to_string(t));
    return f_(*a, *b, t);
  }

 private:
  std::shared_ptr<DStreamNode<A>> a_;
  std::shared_ptr<DStreamNode<B>> b_;
  Fn f_;
  std::string name_;
};

// f(std::vector<RDD<T>>, Time) -> RDD<U> over several streams of the same slide (Spark's
// StreamingContext.transform). A parent without an RDD for a batch is an error.
template <class T, class U>
class MultiTransformedDStream : public DStreamNode<U> {
 public:
  using Fn = std::function<RDD<U>(const std::vector<RDD<T>>&, Time)>;
  MultiTransformedDStream(std::vector<std::shared_ptr<DStreamNode<T>>> parents, Fn f)
      : DStreamNode<U>(parents.at(0)->context()), parents_(std::move(parents)), f_(std::move(f)) {
    for (auto& p : parents_) {
      if (!(p->slideDuration() == parents_.front()->slideDuration())) {
        throw std::invalid_argument("transform of streams with different slide durations");
      }
    }
  }

  Duration slideDuration() const override { return parents_.front()->slideDuration(); }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override {
    return std::vector<std::shared_ptr<DStreamBase>>(parents_.begin(), parents_.end());
  }
  std::string name() const override { return "TransformedDStream"; }

 protected:
  std::optional<RDD<U>> compute(Time t) override {
    std::vector<RDD<T>> rdds;
    for (auto& p : parents_) {
      auto r = p->getOrCompute(t);
      if (!r) throw std::runtime_error("TransformedDStream: couldn't generate RDD from parent at time " + std::to_string(t));
      rdds.push_back(*r);
    }
    return f_(rdds, t);
  }

 private:
  std::vector<std::shared_ptr<DStreamNode<T>>> parents_;
  Fn f_;
};

// An RDD with no partitions.
template <class T>
RDD<T> emptyRDD(JobContext* ctx) {
  return rddOfParts<T>(ctx, {});
}

// One RDD holding the partitions of all of rdds (empty when there are none).
template <class T>
RDD<T> unionAll(JobContext* ctx, const std::vector<RDD<T>>& rdds) {
  if (rdds.empty()) return emptyRDD<T>(ctx);
  if (rdds.size() == 1) return rdds.front();
  std::vector<std::shared_ptr<RDDNode<T>>> nodes;
  for (auto& r : rdds) nodes.push_back(r.node());
  return RDD<T>(ctx, std::make_shared<UnionRDD<T>>(ctx->newRddId(), std::move(nodes)));
}

template <class T>
std::vector<RDD<T>> sliceOf(DStreamNode<T>& stream, Time from, Time to);

// The union of several streams of the same slide; a parent without an RDD for a batch
// is an error, as in Spark.
template <class T>
class UnionDStream : public DStreamNode<T> {
 public:
  explicit UnionDStream(std::vector<std::shared_ptr<DStreamNode<T>>> parents)
      : DStreamNode<T>(checkParents(parents)), parents_(std::move(parents)) {}

  Duration slideDuration() const override { return parents_.front()->slideDuration(); }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override {
    return std::vector<std::shared_ptr<DStreamBase>>(parents_.begin(), parents_.end());
  }
  std::string name() const override { return "UnionDStream"; }

 protected:
  std::optional<RDD<T>> compute(Time t) override {
    std::vector<RDD<T>> rdds;
    for (auto& p : parents_) {
      auto r = p->getOrCompute(t);
      if (!r) throw std::runtime_error("could not generate RDD from a parent for unifying at time " + std::to_string(t));
      rdds.push_back(*r);
    }
    return unionAll(this->jobContext(), rdds);
  }

 private:
  static StreamingContext* checkParents(const std::vector<std::shared_ptr<DStreamNode<T>>>& parents) {
    if (parents.empty()) throw std::invalid_argument("union of no streams");
    for (auto& p : parents) {
      if (p->context() != parents.front()->context()) throw std::invalid_argument("union of streams of different contexts");
      if (!(p->slideDuration() == parents.front()->slideDuration())) {
        throw std::invalid_argument("union of streams with different slide durations");
      }
    }
    return parents.front()->context();
  }

  std::vector<std::shared_ptr<DStreamNode<T>>> parents_;
};

// The union of the parent's RDDs in the window (t - window, t], emitted every slide.
template <class T>
class WindowedDStream : public DStreamNode<T> {
 public:
  // window and slide must be multiples of the parent's slide: DStreamGraph::validate()
  // checks it at start(), when the batch interval in effect is final.
  WindowedDStream(std::shared_ptr<DStreamNode<T>> parent, Duration window, Duration slide)
      : DStreamNode<T>(parent->context()), parent_(std::move(parent)), window_(window), slide_(slide) {}

  Duration slideDuration() const override { return slide_; }
  std::optional<Duration> windowDuration() const override { return window_; }
  Duration lookBackDuration() const override { return window_; }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override { return {parent_}; }
  std::string name() const override { return "WindowedDStream"; }

 protected:
  std::optional<RDD<T>> compute(Time t) override {
    return unionAll(this->jobContext(), sliceOf(*parent_, t - window_.ms, t));
  }

 private:
  std::shared_ptr<DStreamNode<T>> parent_;
  Duration window_;
  Duration slide_;
};

// The parent's RDDs with batch times in (from, to].
template <class T>
std::vector<RDD<T>> sliceOf(DStreamNode<T>& stream, Time from, Time to) {
  std::vector<RDD<T>> out;
  Duration slide = stream.slideDuration();
  Time zero = stream.zeroTime();
  // Batch times are zero + k * slide, k >= 1; start at the first one after from.
  int64_t k = from >= zero ? (from - zero) / slide.ms + 1 : 1;
  for (Time t = zero + k * slide.ms; t <= to; t += slide.ms) {
    if (auto r = stream.getOrCompute(t)) out.push_back(*r);
  }
  return out;
}

}  // namespace sluice
