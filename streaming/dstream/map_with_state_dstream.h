// mapWithState (Spark's MapWithStateDStream and InternalMapWithStateDStream).
//
// Every batch, for each key, the mapping function is called once per record of the batch
// in turn (state.update() / state.remove() take effect for the next record), then, when a
// timeout is set and the batch is one that checkpoints the state (every 10 batch
// intervals, as Spark's default mapWithState checkpoint interval, or as set with
// MapWithStateDStream::checkpoint(interval)), once more with no
// value for a key whose state was last updated before (batch time - timeout): that state
// is then dropped. With a timeout, a call that leaves
// an existing state in place also refreshes its update time, as in Spark. The initial
// state counts as updated at the first batch.
//
// As in Spark, timed-out keys are looked for only in those batches (Spark's full scan in
// MapWithStateRDD), so a key times out up to one checkpoint interval after its timeout passed.
#pragma once

#include <variant>

#include "streaming/dstream/dstream_node.h"
#include "streaming/dstream/state_spec.h"

namespace sluice {

// A key's state after a batch and what the mapping function returned for it.
template <class S, class E>
struct MapWithStateRecord {
  std::optional<S> state;
  Time updated = 0;
  std::vector<E> mapped;
  template <class A>
  void serialize(A& ar) { ar(state, updated, mapped); }
};

template <class F>
class InternalMapWithStateDStream
    : public DStreamNode<std::pair<typename StateSpec<F>::K,
                                   MapWithStateRecord<typename StateSpec<F>::S, typename StateSpec<F>::E>>> {
 public:
  using Spec = StateSpec<F>;
  using K = typename Spec::K;
  using V = typename Spec::V;
  using S = typename Spec::S;
  using E = typename Spec::E;
  using Record = MapWithStateRecord<S, E>;
  using KR = std::pair<K, Record>;

  InternalMapWithStateDStream(std::shared_ptr<DStreamNode<std::pair<K, V>>> parent, Spec spec, int num_partitions)
      : DStreamNode<KR>(parent->context()), parent_(std::move(parent)), spec_(std::move(spec)),
        num_partitions_(num_partitions) {
    this->registerStateful();
  }

  Duration slideDuration() const override { return parent_->slideDuration(); }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override { return {parent_}; }
  std::string name() const override { return "InternalMapWithStateDStream"; }

 protected:
  std::optional<RDD<KR>> compute(Time t) override {
    JobContext* ctx = this->jobContext();
    using Entry = std::pair<S, Time>;  // a state and when it was last updated
    using Tagged = std::variant<V, Entry>;
    RDD<std::pair<K, Entry>> state = emptyRDD<std::pair<K, Entry>>(ctx);
    if (auto previous = this->getOrCompute(t - slideDuration().ms)) {
      state = previous->template pipe<std::pair<K, Entry>>([](KR&& kr, Emit<std::pair<K, Entry>> emit) {
        if (!kr.second.state) return;
        std::pair<K, Entry> out(std::move(kr.first), Entry(std::move(*kr.second.state), kr.second.updated));
        emit(std::move(out));
      });
    } else if (spec_.getInitialStateRDD()) {
      state = spec_.getInitialStateRDD()->map([t](std::pair<K, S>&& ks) {
        return std::pair<K, Entry>(std::move(ks.first), Entry(std::move(ks.second), t));
      });
    }
    auto data = parent_->getOrCompute(t);
    RDD<std::pair<K, V>> values = data ? *data : emptyRDD<std::pair<K, V>>(ctx);
    auto tagged = values.map([](std::pair<K, V>&& kv) {
      return std::pair<K, Tagged>(std::move(kv.first), Tagged(std::in_place_index<0>, std::move(kv.second)));
    }).union_(state.map([](std::pair<K, Entry>&& ke) {
      return std::pair<K, Tagged>(std::move(ke.first), Tagged(std::in_place_index<1>, std::move(ke.second)));
    }));
    F f = spec_.mappingFunction();
    bool has_timeout = spec_.getTimeout().has_value();
    Time threshold = has_timeout ? t - spec_.getTimeout()->ms : 0;
    bool full_scan = has_timeout && this->isCheckpointTime(t);
    auto next = tagged.groupByKey(num_partitions_).template pipe<KR>(
        [f, t, has_timeout, full_scan, threshold](std::pair<K, std::vector<Tagged>>&& group, Emit<KR> emit) mutable {
          const K& key = group.first;
          Record rec;
          for (auto& item : group.second) {
            if (item.index() == 1) {
              rec.state = std::move(std::get<1>(item).first);
              rec.updated = std::get<1>(item).second;
            }
          }
          State<S> wrapped;
          for (auto& item : group.second) {
            if (item.index() != 0) continue;
            wrapped.wrap(rec.state);
            std::optional<E> out = Spec::call(f, t, key, std::move(std::get<0>(item)), wrapped);
            if (wrapped.isRemoved()) {
              rec.state.reset();
            } else if (wrapped.isUpdated() || (wrapped.exists() && has_timeout)) {
              rec.state = wrapped.get();
              rec.updated = t;
            }
            if (out) rec.mapped.push_back(std::move(*out));
          }
          if (full_scan && rec.state && rec.updated < threshold) {
            wrapped.wrapTimingOutState(std::move(*rec.state));
            rec.state.reset();
            std::optional<E> out = Spec::call(f, t, key, std::nullopt, wrapped);
            if (out) rec.mapped.push_back(std::move(*out));
          }
          if (!rec.state && rec.mapped.empty()) return;
          KR result(std::move(group.first), std::move(rec));
          emit(std::move(result));
        });
    // Computed once per batch (the mapping function has side effects on the outputs).
    next.cache();
    return next;
  }

  // Only the states go on (and into the checkpoint), not the batch's mapped outputs.
  RDD<KR> checkpointView(const RDD<KR>& rdd) override {
    return rdd.map([](KR&& kr) {
      kr.second.mapped.clear();
      return std::move(kr);
    });
  }

 private:
  std::shared_ptr<DStreamNode<std::pair<K, V>>> parent_;
  Spec spec_;
  int num_partitions_;
};

}  // namespace sluice
