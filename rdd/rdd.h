// RDD<T>: the user's handle on a resilient distributed dataset (Spark's RDD). It is a cheap
// value (a shared pointer to the lineage node and the context that runs its jobs).
//
// Every function passed to a transformation must be shippable (rdd/shipping.h): a lambda
// whose captures are trivially copyable. Transformations are lazy; actions (collect, count,
// ...) run a job and throw JobFailedError when it fails.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "rdd/broadcast.h"
#include "rdd/job_context.h"
#include "rdd/partitioner.h"
#include "rdd/partitions_rdd.h"
#include "rdd/rdd_node.h"
#include "rdd/shuffle.h"
#include "rdd/split.h"

namespace sluice {

// Key and Value name a placeholder for non-pairs so that keyed member declarations stay
// well-formed in every RDD<T>; their requires-clauses keep them from being used.
struct NotAPair {};
template <class T>
struct PairTraits {
  static constexpr bool kIsPair = false;
  using Key = NotAPair;
  using Value = NotAPair;
};
template <class K, class V>
struct PairTraits<std::pair<K, V>> {
  static constexpr bool kIsPair = true;
  using Key = K;
  using Value = V;
};
template <class T>
concept KeyValue = PairTraits<T>::kIsPair;

template <class T>
class RDD {
 public:
  using value_type = T;

  RDD(JobContext* ctx, std::shared_ptr<RDDNode<T>> node) : ctx_(ctx), node_(std::move(node)) {}

  int id() const { return node_->id(); }
  int numPartitions() const { return node_->numPartitions(); }
  const std::shared_ptr<RDDNode<T>>& node() const { return node_; }
  JobContext* context() const { return ctx_; }

  // Keeps computed partitions in the executors' memory for later jobs, until nothing refers
  // to this RDD any more (no copy of it, no RDD derived from it); a DStream unpersists the
  // RDDs of the batches it forgets sooner.
  const RDD& cache() const {
    if (node_->storageLevel() == StorageLevel::kMemoryOnly) return *this;
    node_->setStorageLevel(StorageLevel::kMemoryOnly);
    if (ctx_) ctx_->trackPersisted(node_);
    return *this;
  }
  const RDD& persist() const { return cache(); }

  // ---- Narrow transformations ----

  // f(T) -> U.
  template <class F>
  auto map(F f) const {
    checkShippable<F>();
    using U = std::decay_t<std::invoke_result_t<F&, T&&>>;
    return pipe<U>([f](T&& x, Emit<U> emit) mutable {
      U y = f(std::move(x));
      emit(std::move(y));
    });
  }

  // f(T) -> a range of U: a container (std::vector<U>, ...) or a lazy range, such as
  // sluice::split(line, ' ') (rdd/split.h), which builds no container per record.
  template <class F>
  auto flatMap(F f) const {
    checkShippable<F>();
    using R = std::invoke_result_t<F&, T&&>;
    using U = std::decay_t<std::ranges::range_value_t<std::remove_reference_t<R>>>;
    return pipe<U>([f](T&& x, Emit<U> emit) mutable {
      auto&& ys = f(std::move(x));
      for (auto it = std::ranges::begin(ys); it != std::ranges::end(ys); ++it) {
        if constexpr (std::is_same_v<decltype(*it), U>) {
          U v = *it;  // a lazy range's new value: built in place, not moved again
          emit(std::move(v));
        } else {
          U v(std::move(*it));
          emit(std::move(v));
        }
      }
    });
  }

  // f(const T&) -> bool.
  template <class F>
  RDD<T> filter(F f) const {
    checkShippable<F>();
    return pipe<T>([f](T&& x, Emit<T> emit) mutable {
      if (f(static_cast<const T&>(x))) emit(std::move(x));
    });
  }

  // f(std::vector<T>) -> std::vector<U>.
  template <class F>
  auto mapPartitions(F f) const {
    checkShippable<F>();
    return mapPartitionsWithIndex([f](int, std::vector<T>&& rows) mutable {
      return f(std::move(rows));
    });
  }

  // f(int partition, std::vector<T>) -> std::vector<U>.
  template <class F>
  auto mapPartitionsWithIndex(F f) const {
    checkShippable<F>();
    using U = typename std::decay_t<std::invoke_result_t<F&, int, std::vector<T>&&>>::value_type;
    return partitions<U>([f](int split, PartitionSource<T> source, Emit<U> emit) mutable {
      std::vector<T> rows;
      source([&](T&& x) { rows.push_back(std::move(x)); });
      for (auto& y : f(split, std::move(rows))) {
        U v = std::move(y);
        emit(std::move(v));
      }
    });
  }

  // Each partition as one vector.
  RDD<std::vector<T>> glom() const {
    return mapPartitions([](std::vector<T>&& rows) { return std::vector<std::vector<T>>{std::move(rows)}; });
  }

  // Spark's rdd.union(other) ("union" is a C++ keyword).
  RDD<T> union_(const RDD<T>& other) const {
    auto node = std::make_shared<UnionRDD<T>>(ctx_->newRddId(),
                                              std::vector<std::shared_ptr<RDDNode<T>>>{node_, other.node_});
    return RDD<T>(ctx_, std::move(node));
  }

  // Fewer partitions; with shuffle, any number, balanced (repartition).
  RDD<T> coalesce(int num_partitions, bool shuffle = false) const;
  RDD<T> repartition(int num_partitions) const { return coalesce(num_partitions, true); }
  RDD<T> distinct(int num_partitions = 0) const;

  // The building blocks of the above; public for library code (streaming).
  // f(T&&, Emit<U>) emits any number of records per input record.
  template <class U, class F>
  RDD<U> pipe(F f) const {
    return RDD<U>(ctx_, std::make_shared<PipeRDD<T, U, F>>(ctx_->newRddId(), node_, f));
  }
  // f(int split, PartitionSource<T>, Emit<U>).
  template <class U, class F>
  RDD<U> partitions(F f) const {
    return RDD<U>(ctx_, std::make_shared<PartitionsRDD<T, U, F>>(ctx_->newRddId(), node_, f));
  }

  // ---- Keyed transformations (T = std::pair<K, V>), rdd/pair_rdd_functions.h ----

  template <class F> requires KeyValue<T>
  auto mapValues(F f) const;
  template <class F> requires KeyValue<T>
  auto flatMapValues(F f) const;
  auto keys() const requires KeyValue<T>;
  auto values() const requires KeyValue<T>;
  // Moves records to the partitions the partitioner names.
  auto partitionBy(const Partitioner<typename PairTraits<T>::Key>& p) const requires KeyValue<T>;
  // createCombiner(V) -> C, mergeValue(C, V) -> C, mergeCombiners(C, C) -> C.
  template <class Create, class MergeValue, class MergeCombiners> requires KeyValue<T>
  auto combineByKey(Create create, MergeValue merge_value, MergeCombiners merge_combiners,
                    int num_partitions = 0) const;
  // f(V, V) -> V, associative and commutative.
  template <class F> requires KeyValue<T>
  RDD<T> reduceByKey(F f, int num_partitions = 0) const;
  auto groupByKey(int num_partitions = 0) const requires KeyValue<T>;
  template <class W> requires KeyValue<T>
  auto cogroup(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions = 0) const;
  template <class W> requires KeyValue<T>
  auto join(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions = 0) const;
  template <class W> requires KeyValue<T>
  auto leftOuterJoin(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions = 0) const;
  template <class W> requires KeyValue<T>
  auto rightOuterJoin(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions = 0) const;
  template <class W> requires KeyValue<T>
  auto fullOuterJoin(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions = 0) const;
  RDD<T> sortByKey(bool ascending = true, int num_partitions = 0) const requires KeyValue<T>;

  // ---- Actions, rdd/rdd_actions.h ----

  std::vector<T> collect() const;
  int64_t count() const;
  std::map<T, int64_t> countByValue() const;
  // f(T, T) -> T. Throws JobFailedError on an empty RDD.
  template <class F>
  T reduce(F f) const;
  std::vector<T> take(int n) const;
  T first() const;
  // f(const T&), run on the executors.
  template <class F>
  void foreach(F f) const;
  // One part-NNNNN file per partition, one record per line (toText()), then _SUCCESS. A
  // relative path is taken against the directory the application was submitted from.
  // Throws JobFailedError when path already exists; a job that fails removes path and
  // everything in it (no _temporary is left behind) before its error passes through.
  void saveAsTextFile(const std::string& path) const;

 private:
  int resolvePartitions(int n) const { return n > 0 ? n : std::max(numPartitions(), 1); }
  // Runs a job over the given partitions and decodes each partition's records.
  std::vector<std::vector<T>> runAndDecode(const RDD<T>& rdd, const std::vector<int>& parts) const;

  JobContext* ctx_;
  std::shared_ptr<RDDNode<T>> node_;
};

}  // namespace sluice

#include "rdd/rdd_actions.h"
#include "rdd/pair_rdd_functions.h"
