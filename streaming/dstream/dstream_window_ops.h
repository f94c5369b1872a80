// Definitions of DStream<T>'s window operations (included by dstream.h), with Spark
// Streaming's semantics: a window of length W sliding by S emits at every multiple of S
// the union of the batches in (t - W, t].
#pragma once

#include "streaming/dstream/window_dstreams.h"

namespace sluice {

template <class T>
DStream<T> DStream<T>::window(Duration window, Duration slide) const {
  return DStream<T>(ssc_, std::make_shared<WindowedDStream<T>>(node_, window, slide));
}

template <class T>
template <class F>
DStream<T> DStream<T>::reduceByWindow(F f, Duration window, Duration slide) const {
  return reduce(f).window(window, slide).reduce(f);
}

template <class T>
template <class F, class G>
DStream<T> DStream<T>::reduceByWindow(F f, G inverse, Duration window, Duration slide) const {
  return map([](const T& x) { return std::pair<char, T>(1, x); })
      .reduceByKeyAndWindow(f, inverse, window, slide, 1)
      .map([](std::pair<char, T>&& kv) { return std::move(kv.second); });
}

template <class T>
DStream<int64_t> DStream<T>::countByWindow(Duration window, Duration slide) const {
  return map([](const T&) { return int64_t{1}; })
      .reduceByWindow([](int64_t a, int64_t b) { return a + b; }, [](int64_t a, int64_t b) { return a - b; }, window,
                      slide);
}

template <class T>
DStream<std::pair<T, int64_t>> DStream<T>::countByValueAndWindow(Duration window, Duration slide, int n) const {
  return map([](const T& x) { return std::pair<T, int64_t>(x, 1); })
      .reduceByKeyAndWindow([](int64_t a, int64_t b) { return a + b; }, [](int64_t a, int64_t b) { return a - b; },
                            window, slide, n, [](const std::pair<T, int64_t>& kv) { return kv.second != 0; });
}

template <class T>
template <class F> requires KeyValue<T>
DStream<T> DStream<T>::reduceByKeyAndWindow(F f, Duration window, Duration slide, int n) const {
  return reduceByKey(f, n).window(window, slide).reduceByKey(f, n);
}

template <class T>
template <class F, class G, class H> requires KeyValue<T>
DStream<T> DStream<T>::reduceByKeyAndWindow(F f, G inverse, Duration window, Duration slide, int n, H filter) const {
  checkShippable<F>();
  checkShippable<G>();
  checkShippable<H>();
  using K = typename PairTraits<T>::Key;
  using V = typename PairTraits<T>::Value;
  int partitions = n > 0 ? n : ssc_->context().defaultParallelism();
  auto reduced = reduceByKey(f, partitions);
  constexpr bool kHasFilter = !std::is_same_v<H, NoFilter>;
  return DStream<T>(ssc_, std::make_shared<ReducedWindowedDStream<K, V, F, G, H>>(
                              reduced.node(), f, inverse, filter, kHasFilter, window, slide, partitions));
}

template <class T>
auto DStream<T>::groupByKeyAndWindow(Duration window, Duration slide, int n) const requires KeyValue<T> {
  using V = typename PairTraits<T>::Value;
  using Vs = std::vector<V>;
  return groupByKey(n).window(window, slide).combineByKey(
      [](Vs&& vs) { return std::move(vs); },
      [](Vs&& acc, Vs&& more) {
        acc.insert(acc.end(), more.begin(), more.end());
        return std::move(acc);
      },
      [](Vs&& a, Vs&& b) {
        a.insert(a.end(), b.begin(), b.end());
        return std::move(a);
      },
      n);
}

}  // namespace sluice
