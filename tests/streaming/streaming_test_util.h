// Helpers for streaming tests on the manual clock, in the style of Spark's TestSuiteBase:
// feed one input batch per interval through a queueStream, run N batches, and collect
// each batch's output.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <mutex>

#include "streaming/streaming_context.h"

namespace sluice::testing {

inline std::unique_ptr<Context> manualClockContext(int threads = 2) {
  Conf conf;
  conf.set("streaming.clock", "manual");
  conf.set("ui.enabled", "false");
  auto ctx = Context::create({"local[" + std::to_string(threads) + "]", "streaming-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

// Collects each batch's records (sorted, so that tests compare sets of records).
template <class T>
class Collected {
 public:
  void add(const std::vector<T>& rows) {
    std::lock_guard<std::mutex> lock(mu_);
    batches_.push_back(rows);
    std::sort(batches_.back().begin(), batches_.back().end());
  }
  std::vector<std::vector<T>> batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::vector<std::vector<T>> batches_;
};

// Runs an operation over input batches (one per interval, then empty batches) for
// num_batches batches and returns each batch's output, as Spark's testOperation.
template <class In, class Out, class Op>
std::vector<std::vector<Out>> runOperation(const std::vector<std::vector<In>>& input, Op op, int num_batches,
                                           Duration batch = Seconds(1)) {
  auto ctx = manualClockContext();
  StreamingContext ssc(*ctx, batch);
  auto queue = std::make_shared<RDDQueue<In>>();
  for (auto& rows : input) queue->push(ctx->parallelize(rows, 2));
  auto out = std::make_shared<Collected<Out>>();
  op(ssc.queueStream(queue)).foreachRDD([out](const RDD<Out>& rdd) { out->add(rdd.collect()); });
  ssc.start();
  for (int i = 1; i <= num_batches; ++i) {
    ssc.manualClock()->advance(batch.ms);
    REQUIRE(ssc.waitForBatch(i * batch.ms, std::chrono::seconds(30)));
  }
  ssc.stop();
  return out->batches();
}

}  // namespace sluice::testing
