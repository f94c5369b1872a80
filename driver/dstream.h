// DStream<T>: the user's handle on a discretized stream (Spark's DStream), a cheap value
// over a DStreamNode<T>. Operations build new streams; output operations (foreachRDD,
// print, saveAsTextFiles) register jobs that run every batch.
//
// Functions passed to per-record operations (map, filter, reduceByKey, ...) run on the
// executors and must be shippable (rdd/shipping.h). Functions passed to transform and
// foreachRDD run on the driver and may capture anything.
#pragma once

#include <iostream>
#include <type_traits>

#include "driver/input_dstreams.h"
#include "driver/output_dstreams.h"
#include "driver/streaming_context.h"

namespace sluice {

// The default "no filter" of reduceByKeyAndWindow.
struct NoFilter {
  template <class X>
  bool operator()(const X&) const { return true; }
};

template <class T>
class DStream {
 public:
  using value_type = T;
  DStream(StreamingContext* ssc, std::shared_ptr<DStreamNode<T>> node) : ssc_(ssc), node_(std::move(node)) {}

  const std::shared_ptr<DStreamNode<T>>& node() const { return node_; }
  StreamingContext* context() const { return ssc_; }
  Duration slideDuration() const { return node_->slideDuration(); }

  // f(RDD<T>) -> RDD<U> or f(RDD<T>, Time) -> RDD<U>, on the driver, every batch.
  template <class F>
  auto transform(F f, std::string name = "TransformedDStream") const {
    using U = typename decltype(applyTransform(f, std::declval<RDD<T>>(), Time{}))::value_type;
    auto fn = [f](const RDD<T>& rdd, Time t) { return applyTransform(f, rdd, t); };
    return DStream<U>(ssc_, std::make_shared<TransformedDStream<T, U>>(node_, fn, std::move(name)));
  }
  // f(RDD<T>, RDD<B>[, Time]) -> RDD<U>.
  template <class B, class F>
  auto transformWith(const DStream<B>& other, F f, std::string name = "TransformedDStream") const {
    using U = typename decltype(applyTransform2(f, std::declval<RDD<T>>(), std::declval<RDD<B>>(), Time{}))::value_type;
    auto fn = [f](const RDD<T>& a, const RDD<B>& b, Time t) { return applyTransform2(f, a, b, t); };
    return DStream<U>(ssc_, std::make_shared<TransformedDStream2<T, B, U>>(node_, other.node(), fn, std::move(name)));
  }

  template <class F>
  auto map(F f) const { return transform([f](const RDD<T>& r) { return r.map(f); }, "MappedDStream"); }
  template <class F>
  auto flatMap(F f) const { return transform([f](const RDD<T>& r) { return r.flatMap(f); }, "FlatMappedDStream"); }
  template <class F>
  DStream<T> filter(F f) const { return transform([f](const RDD<T>& r) { return r.filter(f); }, "FilteredDStream"); }
  template <class F>
  auto mapPartitions(F f) const {
    return transform([f](const RDD<T>& r) { return r.mapPartitions(f); }, "MapPartitionedDStream");
  }
  DStream<std::vector<T>> glom() const { return transform([](const RDD<T>& r) { return r.glom(); }, "GlommedDStream"); }
  DStream<T> repartition(int n) const { return transform([n](const RDD<T>& r) { return r.repartition(n); }); }
  DStream<T> union_(const DStream<T>& other) const {
    return DStream<T>(ssc_, std::make_shared<UnionDStream<T>>(std::vector<std::shared_ptr<DStreamNode<T>>>{node_, other.node_}));
  }
  // One record per batch: the batch's record count (0 for an empty batch).
  DStream<int64_t> count() const;
  DStream<std::pair<T, int64_t>> countByValue(int num_partitions = 0) const;
  // One record per non-empty batch: f reduced over the batch.
  template <class F>
  DStream<T> reduce(F f) const;

  // ---- Windows (driver/dstream_window_ops.h) ----
  DStream<T> window(Duration window, Duration slide) const;
  DStream<T> window(Duration window) const { return this->window(window, slideDuration()); }
  DStream<int64_t> countByWindow(Duration window, Duration slide) const;
  template <class F>
  DStream<T> reduceByWindow(F f, Duration window, Duration slide) const;
  template <class F, class G>
  DStream<T> reduceByWindow(F f, G inverse, Duration window, Duration slide) const;
  DStream<std::pair<T, int64_t>> countByValueAndWindow(Duration window, Duration slide, int num_partitions = 0) const;

  // ---- Keyed windows ----
  // f over the window, recomputed from the batches in it each slide.
  template <class F> requires KeyValue<T>
  DStream<T> reduceByKeyAndWindow(F f, Duration window, Duration slide, int num_partitions = 0) const;
  // With an inverse function: incremental. filter(const pair<K,V>&) keeps a key.
  template <class F, class G, class H = NoFilter> requires KeyValue<T>
  DStream<T> reduceByKeyAndWindow(F f, G inverse, Duration window, Duration slide, int num_partitions = 0,
                                  H filter = H()) const;
  auto groupByKeyAndWindow(Duration window, Duration slide, int num_partitions = 0) const requires KeyValue<T>;

  // ---- Keyed (T = std::pair<K, V>) ----
  template <class F> requires KeyValue<T>
  auto mapValues(F f) const { return transform([f](const RDD<T>& r) { return r.mapValues(f); }, "MappedValuesDStream"); }
  template <class F> requires KeyValue<T>
  auto flatMapValues(F f) const {
    return transform([f](const RDD<T>& r) { return r.flatMapValues(f); }, "FlatMappedValuesDStream");
  }
  template <class F> requires KeyValue<T>
  DStream<T> reduceByKey(F f, int num_partitions = 0) const {
    return transform([f, num_partitions](const RDD<T>& r) { return r.reduceByKey(f, partitionsFor(r, num_partitions)); },
                     "ShuffledDStream");
  }
  auto groupByKey(int num_partitions = 0) const requires KeyValue<T> {
    return transform([num_partitions](const RDD<T>& r) { return r.groupByKey(partitionsFor(r, num_partitions)); },
                     "ShuffledDStream");
  }
  template <class C, class M, class N> requires KeyValue<T>
  auto combineByKey(C create, M merge_value, N merge_combiners, int num_partitions = 0) const {
    return transform([=](const RDD<T>& r) {
      return r.combineByKey(create, merge_value, merge_combiners, partitionsFor(r, num_partitions));
    }, "ShuffledDStream");
  }
  template <class W> requires KeyValue<T>
  auto join(const DStream<std::pair<typename PairTraits<T>::Key, W>>& other, int n = 0) const {
    return transformWith(other, [n](const RDD<T>& a, const auto& b) { return a.join(b, partitionsFor(a, n)); });
  }
  template <class W> requires KeyValue<T>
  auto leftOuterJoin(const DStream<std::pair<typename PairTraits<T>::Key, W>>& other, int n = 0) const {
    return transformWith(other, [n](const RDD<T>& a, const auto& b) { return a.leftOuterJoin(b, partitionsFor(a, n)); });
  }
  template <class W> requires KeyValue<T>
  auto rightOuterJoin(const DStream<std::pair<typename PairTraits<T>::Key, W>>& other, int n = 0) const {
    return transformWith(other, [n](const RDD<T>& a, const auto& b) { return a.rightOuterJoin(b, partitionsFor(a, n)); });
  }
  template <class W> requires KeyValue<T>
  auto fullOuterJoin(const DStream<std::pair<typename PairTraits<T>::Key, W>>& other, int n = 0) const {
    return transformWith(other, [n](const RDD<T>& a, const auto& b) { return a.fullOuterJoin(b, partitionsFor(a, n)); });
  }
  template <class W> requires KeyValue<T>
  auto cogroup(const DStream<std::pair<typename PairTraits<T>::Key, W>>& other, int n = 0) const {
    return transformWith(other, [n](const RDD<T>& a, const auto& b) { return a.cogroup(b, partitionsFor(a, n)); });
  }

  // ---- Outputs ----
  // f(RDD<T>) or f(RDD<T>, Time), on the driver, every batch.
  template <class F>
  void foreachRDD(F f, std::string name = "foreachRDD") const {
    std::function<void(const RDD<T>&, Time)> fn;
    if constexpr (std::is_invocable_v<F&, const RDD<T>&, Time>) fn = f;
    else fn = [f](const RDD<T>& r, Time) mutable { f(r); };
    ssc_->graph().addOutput(std::make_shared<ForEachOutput<T>>(node_, fn, ssc_->nextOutputId(), std::move(name)));
  }
  // Prints the batch time and the first num records of every batch, as Spark does.
  void print(int num = 10) const;
  // Each batch to the directory "<prefix>-<batch time ms>[.<suffix>]", written atomically.
  void saveAsTextFiles(const std::string& prefix, const std::string& suffix = "") const;

  // The RDDs of the batches in [from, to] (both batch times).
  std::vector<RDD<T>> slice(Time from, Time to) const { return sliceOf(*node_, from - 1, to); }

 private:
  template <class F>
  static auto applyTransform(F& f, const RDD<T>& r, Time t) {
    if constexpr (std::is_invocable_v<F&, const RDD<T>&, Time>) return f(r, t);
    else return f(r);
  }
  template <class F, class B>
  static auto applyTransform2(F& f, const RDD<T>& a, const RDD<B>& b, Time t) {
    if constexpr (std::is_invocable_v<F&, const RDD<T>&, const RDD<B>&, Time>) return f(a, b, t);
    else return f(a, b);
  }
  template <class R>
  static int partitionsFor(const R& rdd, int n) { return n > 0 ? n : rdd.context()->defaultParallelism(); }

  StreamingContext* ssc_;
  std::shared_ptr<DStreamNode<T>> node_;
};

template <class T>
DStream<T> StreamingContext::queueStream(std::shared_ptr<RDDQueue<T>> queue, bool one_at_a_time) {
  auto node = std::make_shared<QueueInputDStream<T>>(this, graph_.nextInputId(), batch_, std::move(queue),
                                                      one_at_a_time, std::nullopt);
  graph_.addInput(std::make_shared<InputStreamAdapter<T>>(node));
  return DStream<T>(this, node);
}

template <class T>
DStream<int64_t> DStream<T>::count() const {
  return transform([](const RDD<T>& r) {
    auto ones = r.map([](const T&) { return std::pair<char, int64_t>(0, 1); });
    auto zero = r.context()->newRddId();
    auto seed = RDD<std::pair<char, int64_t>>(
        r.context(), std::make_shared<ParallelCollectionRDD<std::pair<char, int64_t>>>(
                         zero, std::vector<std::vector<std::pair<char, int64_t>>>{{{0, 0}}}));
    return ones.union_(seed).reduceByKey([](int64_t a, int64_t b) { return a + b; }, 1).values();
  }, "CountDStream");
}

template <class T>
DStream<std::pair<T, int64_t>> DStream<T>::countByValue(int num_partitions) const {
  return map([](const T& x) { return std::pair<T, int64_t>(x, 1); })
      .reduceByKey([](int64_t a, int64_t b) { return a + b; }, num_partitions);
}

template <class T>
template <class F>
DStream<T> DStream<T>::reduce(F f) const {
  return map([](const T& x) { return std::pair<char, T>(0, x); }).reduceByKey(f, 1).transform([](const auto& r) {
    return r.values();
  });
}

template <class T>
void DStream<T>::print(int num) const {
  foreachRDD([num](const RDD<T>& rdd, Time t) {
    auto first = rdd.take(num + 1);
    std::string out = "-------------------------------------------\nTime: " + std::to_string(t) +
                      " ms\n-------------------------------------------\n";
    for (int i = 0; i < static_cast<int>(first.size()) && i < num; ++i) out += toText(first[i]) + "\n";
    if (static_cast<int>(first.size()) > num) out += "...\n";
    std::cout << out << std::endl;
  }, "print");
}

template <class T>
void DStream<T>::saveAsTextFiles(const std::string& prefix, const std::string& suffix) const {
  foreachRDD([prefix, suffix](const RDD<T>& rdd, Time t) {
    std::string dir = prefix + "-" + std::to_string(t) + (suffix.empty() ? "" : "." + suffix);
    rdd.saveAsTextFile(dir);
  }, "saveAsTextFiles");
}

}  // namespace sluice

#include "driver/dstream_window_ops.h"
