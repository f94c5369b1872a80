// StateDStream: updateStateByKey (Spark's StateDStream). Each batch cogroups the batch's
// values with the previous batch's state (or, at the first batch, the initial state) and
// calls the update function once per key that has a state or new values:
//   update(values, state) -> new state, or nothing to remove the key.
// At the first batch without an initial state only keys with values are called; a batch
// whose parent has no RDD re-applies the function with no values to every key. State RDDs
// are cached and their lineage cut every kLineageCutBatches batches (dstream_node.h), when
// the state also goes into the next checkpoint (state_snapshots.h).
#pragma once

#include "streaming/dstream/dstream_node.h"

namespace sluice {

template <class K, class V, class S, class F>
class StateDStream : public DStreamNode<std::pair<K, S>> {
 public:
  using KS = std::pair<K, S>;
  StateDStream(std::shared_ptr<DStreamNode<std::pair<K, V>>> parent, F update, int num_partitions,
               std::optional<RDD<KS>> initial)
      : DStreamNode<KS>(parent->context()), parent_(std::move(parent)), update_(update),
        num_partitions_(num_partitions), initial_(std::move(initial)) {
    this->registerStateful();
  }

  Duration slideDuration() const override { return parent_->slideDuration(); }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override { return {parent_}; }
  std::string name() const override { return "StateDStream"; }

 protected:
  std::optional<RDD<KS>> compute(Time t) override {
    JobContext* ctx = this->jobContext();
    std::optional<RDD<KS>> previous = this->getOrCompute(t - slideDuration().ms);
    std::optional<RDD<std::pair<K, V>>> data = parent_->getOrCompute(t);
    if (!previous && !data) return std::nullopt;  // nothing before, nothing now
    if (previous && isLineageCutTime(*this, t)) previous = this->cutLineage(t - slideDuration().ms, *previous);
    RDD<KS> state = previous ? *previous : initial_ ? *initial_ : emptyRDD<KS>(ctx);
    RDD<std::pair<K, V>> values = data ? *data : emptyRDD<std::pair<K, V>>(ctx);
    F update = update_;
    using Groups = std::pair<std::vector<V>, std::vector<S>>;
    auto next = values.cogroup(state, num_partitions_).template pipe<KS>(
        [update, t](std::pair<K, Groups>&& kv, Emit<KS> emit) mutable {
          std::optional<S> old;
          if (!kv.second.second.empty()) old = std::move(kv.second.second.front());
          std::optional<S> now = callUpdate(update, t, kv.first, std::move(kv.second.first), std::move(old));
          if (now) {
            KS out(std::move(kv.first), std::move(*now));
            emit(std::move(out));
          }
        });
    // Computed once per batch, as Spark persists state RDDs: the next batch and every
    // output operation read the same states without calling update again.
    next.cache();
    return next;
  }

 private:
  static std::optional<S> callUpdate(F& update, Time t, const K& key, std::vector<V>&& values, std::optional<S>&& old) {
    if constexpr (std::is_invocable_v<F&, Time, const K&, std::vector<V>&&, std::optional<S>&&>) {
      return update(t, key, std::move(values), std::move(old));
    } else {
      return update(std::move(values), std::move(old));
    }
  }

  std::shared_ptr<DStreamNode<std::pair<K, V>>> parent_;
  F update_;
  int num_partitions_;
  std::optional<RDD<KS>> initial_;
};

}  // namespace sluice
