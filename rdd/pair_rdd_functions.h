// Definitions of RDD<std::pair<K, V>>'s keyed transformations (included by rdd.h), as
// Spark's PairRDDFunctions. Joins are built on cogroup, cogroup on groupByKey over a union
// of both sides tagged with std::variant.
#pragma once

#include <algorithm>

namespace sluice {

template <class T>
template <class F> requires KeyValue<T>
auto RDD<T>::mapValues(F f) const {
  checkShippable<F>();
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  using W = std::decay_t<std::invoke_result_t<F&, V&&>>;
  return map([f](T&& kv) mutable { return std::pair<K, W>(std::move(kv.first), f(std::move(kv.second))); });
}

template <class T>
template <class F> requires KeyValue<T>
auto RDD<T>::flatMapValues(F f) const {
  checkShippable<F>();
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  using R = std::invoke_result_t<F&, V&&>;
  using W = std::decay_t<std::ranges::range_value_t<std::remove_reference_t<R>>>;
  return pipe<std::pair<K, W>>([f](T&& kv, Emit<std::pair<K, W>> emit) mutable {
    auto&& ws = f(std::move(kv.second));
    for (auto& w : ws) {
      std::pair<K, W> out(kv.first, std::move(w));
      emit(std::move(out));
    }
  });
}

template <class T>
auto RDD<T>::keys() const requires KeyValue<T> {
  return map([](T&& kv) { return std::move(kv.first); });
}

template <class T>
auto RDD<T>::values() const requires KeyValue<T> {
  return map([](T&& kv) { return std::move(kv.second); });
}

template <class T>
auto RDD<T>::partitionBy(const Partitioner<typename PairTraits<T>::Key>& p) const requires KeyValue<T> {
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  using Agg = NoAggregator<V>;
  auto dep = std::make_shared<ShuffleDependency<K, V, Agg>>(ctx_->newShuffleId(), node_, p, Agg{});
  return RDD<T>(ctx_, std::make_shared<ShuffledRDD<K, V, Agg>>(ctx_->newRddId(), dep));
}

template <class T>
template <class Create, class MergeValue, class MergeCombiners> requires KeyValue<T>
auto RDD<T>::combineByKey(Create create, MergeValue merge_value, MergeCombiners merge_combiners,
                          int num_partitions) const {
  checkShippable<Create>();
  checkShippable<MergeValue>();
  checkShippable<MergeCombiners>();
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  using C = std::decay_t<std::invoke_result_t<Create&, V&&>>;
  auto mv = [merge_value](C& c, V&& v) mutable { c = merge_value(std::move(c), std::move(v)); };
  auto mc = [merge_combiners](C& a, C&& b) mutable { a = merge_combiners(std::move(a), std::move(b)); };
  using Agg = Aggregator<V, C, Create, decltype(mv), decltype(mc), true>;
  auto dep = std::make_shared<ShuffleDependency<K, V, Agg>>(
      ctx_->newShuffleId(), node_, Partitioner<K>::hash(resolvePartitions(num_partitions)), Agg{create, mv, mc});
  return RDD<std::pair<K, C>>(ctx_, std::make_shared<ShuffledRDD<K, V, Agg>>(ctx_->newRddId(), dep));
}

template <class T>
template <class F> requires KeyValue<T>
RDD<T> RDD<T>::reduceByKey(F f, int num_partitions) const {
  checkShippable<F>();
  using V = typename PairTraits<T>::Value;
  return combineByKey([](V&& v) { return std::move(v); }, f, f, num_partitions);
}

template <class T>
auto RDD<T>::groupByKey(int num_partitions) const requires KeyValue<T> {
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  using C = std::vector<V>;
  // As Spark, no map-side combine: it would not shrink the data.
  auto create = [](V&& v) { return C{std::move(v)}; };
  auto mv = [](C& c, V&& v) { c.push_back(std::move(v)); };
  auto mc = [](C& a, C&& b) { a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end())); };
  using Agg = Aggregator<V, C, decltype(create), decltype(mv), decltype(mc), false>;
  auto dep = std::make_shared<ShuffleDependency<K, V, Agg>>(
      ctx_->newShuffleId(), node_, Partitioner<K>::hash(resolvePartitions(num_partitions)), Agg{create, mv, mc});
  return RDD<std::pair<K, C>>(ctx_, std::make_shared<ShuffledRDD<K, V, Agg>>(ctx_->newRddId(), dep));
}

template <class T>
template <class W> requires KeyValue<T>
auto RDD<T>::cogroup(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions) const {
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  using Tagged = std::variant<V, W>;
  using Groups = std::pair<std::vector<V>, std::vector<W>>;
  int n = num_partitions > 0 ? num_partitions : std::max(numPartitions(), other.numPartitions());
  auto left = map([](T&& kv) {
    return std::pair<K, Tagged>(std::move(kv.first), Tagged(std::in_place_index<0>, std::move(kv.second)));
  });
  auto right = other.map([](std::pair<K, W>&& kw) {
    return std::pair<K, Tagged>(std::move(kw.first), Tagged(std::in_place_index<1>, std::move(kw.second)));
  });
  return left.union_(right).groupByKey(n).mapValues([](std::vector<Tagged>&& tagged) {
    Groups groups;
    for (auto& t : tagged) {
      if (t.index() == 0) groups.first.push_back(std::move(std::get<0>(t)));
      else groups.second.push_back(std::move(std::get<1>(t)));
    }
    return groups;
  });
}

template <class T>
template <class W> requires KeyValue<T>
auto RDD<T>::join(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions) const {
  using V = typename PairTraits<T>::Value;
  return cogroup(other, num_partitions).flatMapValues([](std::pair<std::vector<V>, std::vector<W>>&& g) {
    std::vector<std::pair<V, W>> out;
    for (auto& v : g.first)
      for (auto& w : g.second) out.emplace_back(v, w);
    return out;
  });
}

template <class T>
template <class W> requires KeyValue<T>
auto RDD<T>::leftOuterJoin(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions) const {
  using V = typename PairTraits<T>::Value;
  return cogroup(other, num_partitions).flatMapValues([](std::pair<std::vector<V>, std::vector<W>>&& g) {
    std::vector<std::pair<V, std::optional<W>>> out;
    for (auto& v : g.first) {
      if (g.second.empty()) out.emplace_back(v, std::nullopt);
      for (auto& w : g.second) out.emplace_back(v, w);
    }
    return out;
  });
}

template <class T>
template <class W> requires KeyValue<T>
auto RDD<T>::rightOuterJoin(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions) const {
  using V = typename PairTraits<T>::Value;
  return cogroup(other, num_partitions).flatMapValues([](std::pair<std::vector<V>, std::vector<W>>&& g) {
    std::vector<std::pair<std::optional<V>, W>> out;
    for (auto& w : g.second) {
      if (g.first.empty()) out.emplace_back(std::nullopt, w);
      for (auto& v : g.first) out.emplace_back(v, w);
    }
    return out;
  });
}

template <class T>
template <class W> requires KeyValue<T>
auto RDD<T>::fullOuterJoin(const RDD<std::pair<typename PairTraits<T>::Key, W>>& other, int num_partitions) const {
  using V = typename PairTraits<T>::Value;
  return cogroup(other, num_partitions).flatMapValues([](std::pair<std::vector<V>, std::vector<W>>&& g) {
    std::vector<std::pair<std::optional<V>, std::optional<W>>> out;
    if (g.first.empty()) {
      for (auto& w : g.second) out.emplace_back(std::nullopt, w);
    } else if (g.second.empty()) {
      for (auto& v : g.first) out.emplace_back(v, std::nullopt);
    } else {
      for (auto& v : g.first)
        for (auto& w : g.second) out.emplace_back(v, w);
    }
    return out;
  });
}

// Samples keys to choose range bounds (one job), shuffles by range, sorts each partition.
template <class T>
RDD<T> RDD<T>::sortByKey(bool ascending, int num_partitions) const requires KeyValue<T> {
  using K = typename PairTraits<T>::Key;
  int n = resolvePartitions(num_partitions);
  int per_partition = std::max(1, 60 * n / std::max(1, numPartitions()));
  auto sample = partitions<K>([per_partition](int, PartitionSource<T> source, Emit<K> emit) {
    std::vector<K> keys;
    source([&](T&& kv) { keys.push_back(std::move(kv.first)); });
    size_t step = std::max<size_t>(1, keys.size() / static_cast<size_t>(per_partition));
    for (size_t i = 0; i < keys.size(); i += step) emit(std::move(keys[i]));
  });
  std::vector<K> keys;
  for (auto& part : runJobAndDecode(sample, allPartitions(numPartitions()))) {
    for (auto& k : part) keys.push_back(std::move(k));
  }
  std::sort(keys.begin(), keys.end());
  std::vector<K> bounds;
  for (int i = 1; i < n && !keys.empty(); ++i) {
    K b = keys[std::min(keys.size() - 1, keys.size() * static_cast<size_t>(i) / static_cast<size_t>(n))];
    if (bounds.empty() || bounds.back() < b) bounds.push_back(std::move(b));
  }
  return partitionBy(Partitioner<K>::range(std::move(bounds), ascending))
      .mapPartitions([ascending](std::vector<T>&& rows) {
        std::stable_sort(rows.begin(), rows.end(), [ascending](const T& a, const T& b) {
          return ascending ? a.first < b.first : b.first < a.first;
        });
        return std::move(rows);
      });
}

}  // namespace sluice
