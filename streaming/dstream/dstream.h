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

#include "common/config_keys.h"
#include "streaming/dstream/input_dstreams.h"
#include "streaming/dstream/output_dstreams.h"
#include "streaming/dstream/state_spec.h"
#include "streaming/dstream/typed_transformed_dstream.h"
#include "streaming/streaming_context.h"

namespace sluice {

template <class F>
class MapWithStateDStream;

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

  // Spark's checkpoint(interval): the RDD of every batch at zero time + k * interval is
  // checkpointed: when this stream generates its next batch, that RDD is collected to the
  // driver into a copy without lineage, which every later reader (the next state of a
  // stateful stream, a window) reads instead, so lineage stops growing there. interval
  // must be a positive multiple of the slide: start() refuses another, naming the stream.
  // Without it, stateful streams (updateStateByKey, mapWithState, reduceByKeyAndWindow
  // with an inverse function) are checkpointed every 10 slides and others never; with a
  // checkpoint directory, a stateful stream's checkpointed state also goes into the
  // streaming checkpoint that a restarted driver resumes from. For data that fits on the
  // driver. Before StreamingContext::start() (std::logic_error after). Returns this stream.
  DStream<T> checkpoint(Duration interval) const {
    node_->setCheckpointInterval(interval);
    return *this;
  }

  // f(RDD<T>) -> RDD<U> or f(RDD<T>, Time) -> RDD<U>, on the driver, every batch. A batch
  // for which this stream has no RDD is an error (Spark's TransformedDStream).
  template <class F>
  auto transform(F f, std::string name = "TransformedDStream") const {
    return derive(std::move(f), std::move(name), /*strict=*/true);
  }
  // f(RDD<T>, RDD<B>[, Time]) -> RDD<U>; both streams must have the same slide.
  template <class B, class F>
  auto transformWith(const DStream<B>& other, F f, std::string name = "TransformedDStream") const {
    using U = typename decltype(applyTransform2(f, std::declval<RDD<T>>(), std::declval<RDD<B>>(), Time{}))::value_type;
    auto fn = [f](const RDD<T>& a, const RDD<B>& b, Time t) mutable { return applyTransform2(f, a, b, t); };
    return DStream<U>(ssc_, std::make_shared<TransformedDStream2<T, B, U>>(node_, other.node(), fn, std::move(name)));
  }

  template <class F>
  auto map(F f) const { return derive([f](const RDD<T>& r) { return r.map(f); }, "MappedDStream"); }
  template <class F>
  auto flatMap(F f) const { return derive([f](const RDD<T>& r) { return r.flatMap(f); }, "FlatMappedDStream"); }
  template <class F>
  DStream<T> filter(F f) const { return derive([f](const RDD<T>& r) { return r.filter(f); }, "FilteredDStream"); }
  // f(std::vector<T>) -> std::vector<U>, once per partition.
  template <class F>
  auto mapPartitions(F f) const {
    return derive([f](const RDD<T>& r) { return r.mapPartitions(f); }, "MapPartitionedDStream");
  }
  DStream<std::vector<T>> glom() const { return derive([](const RDD<T>& r) { return r.glom(); }, "GlommedDStream"); }
  // Each batch shuffled into n partitions.
  DStream<T> repartition(int n) const {
    return derive([n](const RDD<T>& r) { return r.repartition(n); }, "RepartitionedDStream");
  }
  // Spark's union ("union" is a C++ keyword); see also unionStreams().
  DStream<T> union_(const DStream<T>& other) const {
    return DStream<T>(ssc_, std::make_shared<UnionDStream<T>>(std::vector<std::shared_ptr<DStreamNode<T>>>{node_, other.node_}));
  }
  // One record per batch: the batch's record count (0 for an empty batch).
  DStream<int64_t> count() const;
  DStream<std::pair<T, int64_t>> countByValue(int num_partitions = 0) const;
  // One record per non-empty batch: f reduced over the batch.
  template <class F>
  DStream<T> reduce(F f) const;

  // ---- Windows (streaming/dstream/dstream_window_ops.h) ----
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
  auto mapValues(F f) const { return derive([f](const RDD<T>& r) { return r.mapValues(f); }, "MappedValuesDStream"); }
  template <class F> requires KeyValue<T>
  auto flatMapValues(F f) const {
    return derive([f](const RDD<T>& r) { return r.flatMapValues(f); }, "FlatMappedValuesDStream");
  }
  template <class F> requires KeyValue<T>
  DStream<T> reduceByKey(F f, int num_partitions = 0) const {
    return derive([f, num_partitions](const RDD<T>& r) { return r.reduceByKey(f, partitionsFor(r, num_partitions)); },
                     "ShuffledDStream");
  }
  auto groupByKey(int num_partitions = 0) const requires KeyValue<T> {
    return derive([num_partitions](const RDD<T>& r) { return r.groupByKey(partitionsFor(r, num_partitions)); },
                     "ShuffledDStream");
  }
  template <class C, class M, class N> requires KeyValue<T>
  auto combineByKey(C create, M merge_value, N merge_combiners, int num_partitions = 0) const {
    return derive([=](const RDD<T>& r) {
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

  // ---- State (streaming/dstream/dstream_state_ops.h) ----
  // update(std::vector<V> values, std::optional<S> state) -> std::optional<S>, or
  // update(Time, const K&, std::vector<V>, std::optional<S>) -> std::optional<S>: called
  // every batch for every key with a state or new values; returning nothing removes the
  // key (its state is gone, and it is called again only when new values come). The state
  // is hash-partitioned into num_partitions (default parallelism when 0).
  template <class S, class F> requires KeyValue<T>
  DStream<std::pair<typename PairTraits<T>::Key, S>> updateStateByKey(F update, int num_partitions = 0) const;
  // The same, starting from initial's states.
  template <class S, class F> requires KeyValue<T>
  DStream<std::pair<typename PairTraits<T>::Key, S>> updateStateByKey(
      F update, int num_partitions, RDD<std::pair<typename PairTraits<T>::Key, S>> initial) const;
  // Spark's updateStateByKey(updateFunc, partitioner, rememberPartitioner[, initialRDD]):
  // the state is partitioned by partitioner. update is one of the per-key functions above,
  // or Spark's iterator form, called every batch once per partition of the state:
  //   update([Time,] std::vector<StateEntry<K, V, S>> entries) -> std::vector<std::pair<K, S>>
  // with one entry (key, the batch's values, the previous state) per key of the partition
  // that has a state or new values; a key left out of the result is removed.
  // remember_partitioner is accepted for Spark's sake: Sluice's RDDs do not carry their
  // partitioner, so each batch shuffles the state with the new values whatever it says
  // (Spark's rememberPartitioner=false); the results are the same.
  template <class S, class F> requires KeyValue<T>
  DStream<std::pair<typename PairTraits<T>::Key, S>> updateStateByKey(
      F update, const Partitioner<typename PairTraits<T>::Key>& partitioner, bool remember_partitioner,
      std::optional<RDD<std::pair<typename PairTraits<T>::Key, S>>> initial = std::nullopt) const;
  // The mapping function's outputs; stateSnapshots() gives every key's state each batch.
  template <class F> requires KeyValue<T>
  MapWithStateDStream<F> mapWithState(const StateSpec<F>& spec) const;

  // ---- Outputs ----
  // f(RDD<T>) or f(RDD<T>, Time), on the driver, every batch.
  template <class F>
  void foreachRDD(F f, std::string name = "foreachRDD") const {
    std::function<void(const RDD<T>&, Time)> fn;
    if constexpr (std::is_invocable_v<F&, const RDD<T>&, Time>) fn = f;
    else fn = [f](const RDD<T>& r, Time) mutable { f(r); };
    // As in Spark, the pool is the scheduler.pool local property set when the output
    // operation is defined.
    ssc_->graph().addOutput(std::make_shared<ForEachOutput<T>>(node_, fn, ssc_->nextOutputId(), std::move(name),
                                                               ssc_->context().getLocalProperty("scheduler.pool")));
  }
  // Prints the batch time and the first num records of every batch, as Spark does.
  void print(int num = 10) const;
  // Each batch to the directory "<prefix>-<batch time ms>[.<suffix>]", written atomically; a
  // relative prefix is taken against the submitter's directory.
  void saveAsTextFiles(const std::string& prefix, const std::string& suffix = "") const;

  // The RDDs of the batches from `from` to `to`, both included, each end first aligned
  // down to a batch time of this stream (Spark's slice). Throws std::logic_error before
  // StreamingContext::start(), and with an adaptive batch interval (no grid to align to).
  std::vector<RDD<T>> slice(Time from, Time to) const;

 private:
  template <class F>
  auto derive(F f, std::string name, bool strict = false) const {
    using U = typename decltype(applyTransform(f, std::declval<RDD<T>>(), Time{}))::value_type;
    auto fn = [f](const RDD<T>& rdd, Time t) mutable { return applyTransform(f, rdd, t); };
    return DStream<U>(ssc_, std::make_shared<TransformedDStream<T, U>>(node_, fn, std::move(name), strict));
  }
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
                                                      one_at_a_time, std::nullopt,
                                                      ctx_.conf().get(keys::kStreamingReceiverMaxRate));
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
  return map([](const T& x) { return std::pair<char, T>(0, x); }).reduceByKey(f, 1).map([](std::pair<char, T>&& kv) {
    return std::move(kv.second);
  });
}

template <class T>
std::vector<RDD<T>> DStream<T>::slice(Time from, Time to) const {
  Time zero = node_->zeroTime();
  if (zero < 0) throw std::logic_error(node_->name() + " has not been initialized");
  if (node_->variableIntervals()) {
    throw std::logic_error("slice() needs batch times on a grid; with streaming.batchDuration.adaptive they are "
                           "not");
  }
  int64_t slide = slideDuration().ms;
  auto align = [&](Time x) {  // down to zero + k * slide
    int64_t k = (x - zero) / slide;
    if ((x - zero) % slide != 0 && x < zero) --k;
    return zero + k * slide;
  };
  std::vector<RDD<T>> out;
  for (Time t = align(from); t <= align(to); t += slide) {
    if (t < zero) continue;
    if (auto r = node_->getOrCompute(t)) out.push_back(*r);
  }
  return out;
}

template <class T>
void DStream<T>::print(int num) const {
  foreachRDD([num](const RDD<T>& rdd, Time t) { std::cout << printedBatch(rdd.take(num + 1), num, t) << std::flush; },
             "print");
}

template <class T>
void DStream<T>::saveAsTextFiles(const std::string& prefix, const std::string& suffix) const {
  foreachRDD([prefix, suffix](const RDD<T>& rdd, Time t) {
    std::string dir = batchFileName(rdd.context()->absolutePath(prefix), suffix, t);
    saveDirectoryAtomically(dir, [&](const std::string& tmp) { rdd.saveAsTextFile(tmp); });
  }, "saveAsTextFiles");
}

// f(std::vector<RDD<T>>[, Time]) -> RDD<U> over streams of one slide, on the driver, every
// batch (Spark's StreamingContext.transform, for streams of one element type).
template <class T, class F>
auto transformStreams(const std::vector<DStream<T>>& streams, F f) {
  if (streams.empty()) throw std::invalid_argument("transformStreams of no streams");
  auto apply = [](F& g, const std::vector<RDD<T>>& rdds, Time t) {
    if constexpr (std::is_invocable_v<F&, const std::vector<RDD<T>>&, Time>) return g(rdds, t);
    else return g(rdds);
  };
  using U = typename decltype(apply(f, std::declval<std::vector<RDD<T>>>(), Time{}))::value_type;
  std::vector<std::shared_ptr<DStreamNode<T>>> nodes;
  for (auto& s : streams) nodes.push_back(s.node());
  auto fn = [f, apply](const std::vector<RDD<T>>& rdds, Time t) mutable { return apply(f, rdds, t); };
  return DStream<U>(streams.front().context(), std::make_shared<MultiTransformedDStream<T, U>>(std::move(nodes), fn));
}

template <class F, class... Ts>
  requires(sizeof...(Ts) > 0)
auto StreamingContext::transform(F f, const DStream<Ts>&... streams) {
  auto apply = [](F& g, const RDD<Ts>&... rdds, Time t) {
    if constexpr (std::is_invocable_v<F&, const RDD<Ts>&..., Time>) return g(rdds..., t);
    else return g(rdds...);
  };
  using U = typename decltype(apply(f, std::declval<RDD<Ts>>()..., Time{}))::value_type;
  auto fn = [f, apply](const RDD<Ts>&... rdds, Time t) mutable { return apply(f, rdds..., t); };
  return DStream<U>(this, std::make_shared<TypedTransformedDStream<U, Ts...>>(fn, streams.node()...));
}

template <class T, class F>
auto StreamingContext::transform(const std::vector<DStream<T>>& streams, F f) {
  return transformStreams(streams, std::move(f));
}

// The union of streams of one context and slide (Spark's StreamingContext.union).
template <class T>
DStream<T> unionStreams(const std::vector<DStream<T>>& streams) {
  if (streams.empty()) throw std::invalid_argument("unionStreams of no streams");
  std::vector<std::shared_ptr<DStreamNode<T>>> nodes;
  for (auto& s : streams) nodes.push_back(s.node());
  return DStream<T>(streams.front().context(), std::make_shared<UnionDStream<T>>(std::move(nodes)));
}

}  // namespace sluice

#include "streaming/dstream/dstream_state_ops.h"
#include "streaming/dstream/dstream_window_ops.h"
