// Definitions of DStream<T>'s state operations (included by dstream.h): updateStateByKey
// and mapWithState, with Spark Streaming's rules for when the functions are called.
#pragma once

#include "streaming/dstream/map_with_state_dstream.h"
#include "streaming/dstream/state_dstream.h"

namespace sluice {

// The stream of a mapping function's outputs, with the states behind them.
template <class F>
class MapWithStateDStream : public DStream<typename StateSpec<F>::E> {
 public:
  using Internal = InternalMapWithStateDStream<F>;
  using K = typename StateSpec<F>::K;
  using S = typename StateSpec<F>::S;
  using E = typename StateSpec<F>::E;

  MapWithStateDStream(StreamingContext* ssc, std::shared_ptr<Internal> internal)
      : DStream<E>(ssc, mapped(internal)), internal_(std::move(internal)) {}

  // Spark's: checkpoints the states behind this stream (DStream::checkpoint).
  MapWithStateDStream checkpoint(Duration interval) const {
    internal_->setCheckpointInterval(interval);
    return *this;
  }

  // Every key's state after each batch.
  DStream<std::pair<K, S>> stateSnapshots() const {
    using KR = typename Internal::KR;
    auto node = std::make_shared<TransformedDStream<KR, std::pair<K, S>>>(
        internal_, [](const RDD<KR>& r, Time) {
          return r.template pipe<std::pair<K, S>>([](KR&& kr, Emit<std::pair<K, S>> emit) {
            if (!kr.second.state) return;
            std::pair<K, S> out(std::move(kr.first), std::move(*kr.second.state));
            emit(std::move(out));
          });
        }, "StateSnapshotsDStream");
    return DStream<std::pair<K, S>>(this->context(), node);
  }

 private:
  static std::shared_ptr<DStreamNode<E>> mapped(const std::shared_ptr<Internal>& internal) {
    using KR = typename Internal::KR;
    return std::make_shared<TransformedDStream<KR, E>>(
        internal, [](const RDD<KR>& r, Time) {
          return r.template pipe<E>([](KR&& kr, Emit<E> emit) {
            for (auto& e : kr.second.mapped) emit(std::move(e));
          });
        }, "MapWithStateDStream");
  }

  std::shared_ptr<Internal> internal_;
};

// update as updateStateByKey's partition function (state_dstream.h): a per-key function
// (values, state) -> optional state, or (Time, key, values, state) -> optional state,
// called once per key, a key removed when it returns nothing; or Spark's iterator form
// (entries) -> pairs, or (Time, entries) -> pairs, called once per partition.
template <class K, class V, class S, class F>
auto statePartitionFunction(F update) {
  checkShippable<F>();
  using Entries = std::vector<StateEntry<K, V, S>>;
  using Out = std::vector<std::pair<K, S>>;
  constexpr bool kPerKeyWithTime =
      std::is_invocable_v<F&, Time, const K&, std::vector<V>&&, std::optional<S>&&>;
  constexpr bool kPerKey = std::is_invocable_v<F&, std::vector<V>&&, std::optional<S>&&>;
  if constexpr (kPerKeyWithTime || kPerKey) {
    return [update](Time t, Entries&& entries) mutable {
      Out out;
      for (auto& [key, values, old] : entries) {
        std::optional<S> now;
        if constexpr (kPerKeyWithTime) now = update(t, static_cast<const K&>(key), std::move(values), std::move(old));
        else now = update(std::move(values), std::move(old));
        if (now) out.emplace_back(std::move(key), std::move(*now));
      }
      return out;
    };
  } else if constexpr (std::is_invocable_r_v<Out, F&, Time, Entries&&>) {
    return update;
  } else {
    static_assert(std::is_invocable_r_v<Out, F&, Entries&&>,
                  "updateStateByKey: the update function takes (std::vector<V>, std::optional<S>) or (Time, key, "
                  "std::vector<V>, std::optional<S>) and returns std::optional<S>, or takes "
                  "(std::vector<StateEntry<K, V, S>>) or (Time, std::vector<StateEntry<K, V, S>>) and returns "
                  "std::vector<std::pair<K, S>>");
    return [update](Time, Entries&& entries) mutable { return update(std::move(entries)); };
  }
}

template <class T>
template <class S, class F> requires KeyValue<T>
DStream<std::pair<typename PairTraits<T>::Key, S>> DStream<T>::updateStateByKey(F update, int num_partitions) const {
  int n = num_partitions > 0 ? num_partitions : ssc_->context().defaultParallelism();
  return updateStateByKey<S>(update, Partitioner<typename PairTraits<T>::Key>::hash(n), false);
}

template <class T>
template <class S, class F> requires KeyValue<T>
DStream<std::pair<typename PairTraits<T>::Key, S>> DStream<T>::updateStateByKey(
    F update, int num_partitions, RDD<std::pair<typename PairTraits<T>::Key, S>> initial) const {
  int n = num_partitions > 0 ? num_partitions : ssc_->context().defaultParallelism();
  return updateStateByKey<S>(update, Partitioner<typename PairTraits<T>::Key>::hash(n), false, std::move(initial));
}

template <class T>
template <class S, class F> requires KeyValue<T>
DStream<std::pair<typename PairTraits<T>::Key, S>> DStream<T>::updateStateByKey(
    F update, const Partitioner<typename PairTraits<T>::Key>& partitioner, bool /*remember_partitioner*/,
    std::optional<RDD<std::pair<typename PairTraits<T>::Key, S>>> initial) const {
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  auto fn = statePartitionFunction<K, V, S>(update);
  return DStream<std::pair<K, S>>(
      ssc_, std::make_shared<StateDStream<K, V, S, decltype(fn)>>(node_, fn, partitioner, std::move(initial)));
}

template <class T>
template <class F> requires KeyValue<T>
MapWithStateDStream<F> DStream<T>::mapWithState(const StateSpec<F>& spec) const {
  static_assert(std::is_same_v<T, std::pair<typename StateSpec<F>::K, typename StateSpec<F>::V>>,
                "mapWithState: the mapping function's key and value types must be the stream's");
  int n = spec.getNumPartitions() > 0 ? spec.getNumPartitions() : ssc_->context().defaultParallelism();
  return MapWithStateDStream<F>(ssc_, std::make_shared<InternalMapWithStateDStream<F>>(node_, spec, n));
}

}  // namespace sluice
