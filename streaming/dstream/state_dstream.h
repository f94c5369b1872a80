// StateDStream: updateStateByKey (Spark's StateDStream). Each batch brings the batch's
// values and the previous batch's state (or, at the first batch, the initial state)
// together by key through one shuffle by the stream's partitioner, then calls the update
// function once per partition with that partition's keys, each with its new values and
// its state: every key that has a state or new values. A key the function leaves out of
// its result is removed. (DStream::updateStateByKey's per-key functions are wrapped into
// such a partition function: there, returning nothing removes the key.)
// At the first batch without an initial state only keys with values are there; a batch
// whose parent has no RDD re-applies the function with no values to every key. State RDDs
// are cached and checkpointed (lineage cut) every kLineageCutBatches batches or as set
// with DStream::checkpoint(interval) (dstream_node.h), when the state also goes into the
// next checkpoint (state_snapshots.h).
#pragma once

#include <tuple>
#include <unordered_map>
#include <variant>

#include "streaming/dstream/dstream_node.h"

namespace sluice {

// One key of a partition, as Spark's updateStateByKey iterator gives it: (key, the
// batch's values, the previous state).
template <class K, class V, class S>
using StateEntry = std::tuple<K, std::vector<V>, std::optional<S>>;

// update(Time, std::vector<StateEntry<K, V, S>>) -> std::vector<std::pair<K, S>>: the
// partition function; shippable (rdd/shipping.h).
template <class K, class V, class S, class F>
class StateDStream : public DStreamNode<std::pair<K, S>> {
 public:
  using KS = std::pair<K, S>;
  StateDStream(std::shared_ptr<DStreamNode<std::pair<K, V>>> parent, F update, Partitioner<K> partitioner,
               std::optional<RDD<KS>> initial)
      : DStreamNode<KS>(parent->context()), parent_(std::move(parent)), update_(update),
        partitioner_(std::move(partitioner)), initial_(std::move(initial)) {
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
    RDD<KS> state = previous ? *previous : initial_ ? *initial_ : emptyRDD<KS>(ctx);
    RDD<std::pair<K, V>> values = data ? *data : emptyRDD<std::pair<K, V>>(ctx);
    using Tagged = std::pair<K, std::variant<V, S>>;
    auto tagged = values.map([](std::pair<K, V>&& kv) {
      return Tagged(std::move(kv.first), std::variant<V, S>(std::in_place_index<0>, std::move(kv.second)));
    }).union_(state.map([](KS&& ks) {
      return Tagged(std::move(ks.first), std::variant<V, S>(std::in_place_index<1>, std::move(ks.second)));
    }));
    F update = update_;
    auto next = tagged.partitionBy(partitioner_).mapPartitions([update, t](std::vector<Tagged>&& rows) mutable {
      std::unordered_map<K, size_t, KeyHash<K>> index;  // key -> its entry, in the order keys come
      std::vector<StateEntry<K, V, S>> entries;
      for (auto& [key, value] : rows) {
        auto [it, added] = index.try_emplace(key, entries.size());
        if (added) entries.emplace_back(std::move(key), std::vector<V>{}, std::nullopt);
        auto& entry = entries[it->second];
        if (value.index() == 0) std::get<1>(entry).push_back(std::move(std::get<0>(value)));
        else std::get<2>(entry) = std::move(std::get<1>(value));
      }
      return update(t, std::move(entries));
    });
    // Computed once per batch, as Spark persists state RDDs: the next batch and every
    // output operation read the same states without calling update again.
    next.cache();
    return next;
  }

 private:
  std::shared_ptr<DStreamNode<std::pair<K, V>>> parent_;
  F update_;
  Partitioner<K> partitioner_;
  std::optional<RDD<KS>> initial_;
};

}  // namespace sluice
