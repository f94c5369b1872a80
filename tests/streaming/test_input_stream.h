// Helpers for DStream operation tests in the style of Spark's TestSuiteBase: an input
// stream that gives batch k (time zero + k * slide) the k-th input sequence in a fixed
// number of partitions (Spark's TestInputStream), and runners that advance the manual
// clock one batch at a time and collect every output batch.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <set>

#include "streaming/streaming_context.h"

namespace sluice::testing {

// Batch k (1-based) holds input[k - 1], or nothing (an empty RDD) past the end of input;
// the batches listed in missing produce no RDD at all (Spark's null input batch).
template <class T>
class TestInputDStream : public InputDStream<T> {
 public:
  TestInputDStream(StreamingContext* ssc, std::vector<std::vector<T>> input, int partitions, std::set<int> missing)
      : InputDStream<T>(ssc, ssc->graph().nextInputId(), ssc->batchDuration()), input_(std::move(input)),
        partitions_(partitions), missing_(std::move(missing)) {}
  std::string name() const override { return "TestInputDStream"; }

 protected:
  std::optional<RDD<T>> compute(Time t) override {
    int k = static_cast<int>((t - this->zeroTime()) / this->slideDuration().ms);
    if (missing_.count(k)) return std::nullopt;
    std::vector<T> rows = k - 1 < static_cast<int>(input_.size()) ? input_[k - 1] : std::vector<T>{};
    this->setRecords(t, static_cast<int64_t>(rows.size()));
    return this->context()->context().parallelize(std::move(rows), partitions_);
  }

 private:
  std::vector<std::vector<T>> input_;
  int partitions_;
  std::set<int> missing_;
};

template <class T>
DStream<T> testInputStream(StreamingContext& ssc, std::vector<std::vector<T>> input, int partitions = 2,
                           std::set<int> missing = {}) {
  auto node = std::make_shared<TestInputDStream<T>>(&ssc, std::move(input), partitions, std::move(missing));
  ssc.graph().addInput(std::make_shared<InputStreamAdapter<T>>(node));
  return DStream<T>(&ssc, node);
}

inline std::unique_ptr<Context> manualContext(int threads = 2) {
  Conf conf;
  conf.set("streaming.clock", "manual");
  auto ctx = Context::create({"local[" + std::to_string(threads) + "]", "streaming-ops-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

// Each output batch's records; sorted when sorted is true (Spark's useSet).
template <class T>
class BatchCollector {
 public:
  explicit BatchCollector(bool sorted = true) : sorted_(sorted) {}
  void add(std::vector<T> rows) {
    if (sorted_) std::sort(rows.begin(), rows.end());
    std::lock_guard<std::mutex> lock(mu_);
    batches_.push_back(std::move(rows));
  }
  std::vector<std::vector<T>> batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }
  // Registers a collecting output on stream.
  void attach(const DStream<T>& stream) {
    stream.foreachRDD([this](const RDD<T>& rdd) { add(rdd.collect()); });
  }

 private:
  bool sorted_;
  std::mutex mu_;
  std::vector<std::vector<T>> batches_;
};

// Starts ssc, runs num_batches batches on the manual clock, waits for each, stops.
inline void runBatches(StreamingContext& ssc, int num_batches) {
  ssc.start();
  Duration batch = ssc.batchDuration();
  for (int i = 1; i <= num_batches; ++i) {
    ssc.manualClock()->advance(batch.ms);
    REQUIRE(ssc.waitForBatch(ssc.zeroTime() + i * batch.ms, std::chrono::seconds(30)));
  }
  ssc.stop();
}

// Spark's testOperation: op over one input stream of 2 partitions, num_batches batches of
// one second; returns each output batch, sorted.
template <class In, class Op>
auto testOperation(std::vector<std::vector<In>> input, Op op, int num_batches, std::set<int> missing = {}) {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto out_stream = op(testInputStream(ssc, std::move(input), 2, std::move(missing)));
  using Out = typename decltype(out_stream)::value_type;
  BatchCollector<Out> out;
  out.attach(out_stream);
  runBatches(ssc, num_batches);
  return out.batches();
}

// The same over two input streams.
template <class A, class B, class Op>
auto testOperation2(std::vector<std::vector<A>> a, std::vector<std::vector<B>> b, Op op, int num_batches) {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto out_stream = op(testInputStream(ssc, std::move(a)), testInputStream(ssc, std::move(b)));
  using Out = typename decltype(out_stream)::value_type;
  BatchCollector<Out> out;
  out.attach(out_stream);
  runBatches(ssc, num_batches);
  return out.batches();
}

template <class T>
using Seqs = std::vector<std::vector<T>>;

}  // namespace sluice::testing
