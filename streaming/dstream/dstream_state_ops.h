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

template <class T>
template <class S, class F> requires KeyValue<T>
DStream<std::pair<typename PairTraits<T>::Key, S>> DStream<T>::updateStateByKey(F update, int num_partitions) const {
  checkShippable<F>();
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  int n = num_partitions > 0 ? num_partitions : ssc_->context().defaultParallelism();
  return DStream<std::pair<K, S>>(ssc_, std::make_shared<StateDStream<K, V, S, F>>(node_, update, n, std::nullopt));
}

template <class T>
template <class S, class F> requires KeyValue<T>
DStream<std::pair<typename PairTraits<T>::Key, S>> DStream<T>::updateStateByKey(
    F update, int num_partitions, RDD<std::pair<typename PairTraits<T>::Key, S>> initial) const {
  checkShippable<F>();
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  int n = num_partitions > 0 ? num_partitions : ssc_->context().defaultParallelism();
  return DStream<std::pair<K, S>>(ssc_, std::make_shared<StateDStream<K, V, S, F>>(node_, update, n, std::move(initial)));
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
