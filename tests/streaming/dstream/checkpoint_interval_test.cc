// DStream::checkpoint(interval) on the manual clock: the RDD of every batch at a multiple
// of the interval is checkpointed (its lineage cut) and later batches read the copy, as in
// Spark's CheckpointSuite; stateful streams keep their default of 10 slides; a bad interval
// fails start(); a restarted driver resumes from the state checkpointed at the interval.
#include <catch2/catch.hpp>

#include "tests/common/scratch_dir.h"

#include <filesystem>
#include <functional>
#include <set>

#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
using SI = std::pair<std::string, int>;

namespace {

// The shuffles in the lineage of rdd, each counted once: a state stream adds one per
// batch until its lineage is cut.
int shufflesInLineage(const std::shared_ptr<RDDBase>& rdd) {
  std::set<const void*> seen;
  int shuffles = 0;
  std::function<void(const std::shared_ptr<RDDBase>&)> visit = [&](const std::shared_ptr<RDDBase>& r) {
    if (!seen.insert(r.get()).second) return;
    for (const Dependency& d : r->dependencies()) {
      if (d.narrow_parent) visit(d.narrow_parent);
      if (d.shuffle && seen.insert(d.shuffle.get()).second) {
        ++shuffles;
        visit(d.shuffle->mapSide());
      }
    }
  };
  visit(rdd);
  return shuffles;
}

// Records each batch's shuffles in lineage.
template <class T>
std::shared_ptr<BatchCollector<int>> lineageOf(const DStream<T>& stream) {
  auto out = std::make_shared<BatchCollector<int>>(false);
  stream.foreachRDD([out](const RDD<T>& rdd) { out->add({shufflesInLineage(rdd.node())}); });
  return out;
}

Seqs<int> each(std::vector<int> values) {
  Seqs<int> out;
  for (int v : values) out.push_back({v});
  return out;
}

auto ones(DStream<std::string> s) { return s.map([](const std::string& w) { return SI(w, 1); }); }
auto runningSum = [](std::vector<int>&& values, std::optional<int>&& state) {
  int sum = state.value_or(0);
  for (int v : values) sum += v;
  return std::optional<int>(sum);
};

// Batch k holds "a" k times and "b" once.
Seqs<std::string> growingInput(int batches) {
  Seqs<std::string> input;
  for (int k = 1; k <= batches; ++k) {
    std::vector<std::string> words(static_cast<size_t>(k), "a");
    words.push_back("b");
    input.push_back(words);
  }
  return input;
}

// The running counts after batch k of growingInput.
std::vector<SI> countsAfter(int k) { return {{"a", k * (k + 1) / 2}, {"b", k}}; }

}  // namespace

TEST_CASE("checkpoint(interval) cuts a state stream's lineage at every multiple of the interval, and only there",
          "[streaming][checkpoint]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto pairs = ones(testInputStream(ssc, growingInput(10)));
  auto every3 = pairs.updateStateByKey<int>(runningSum).checkpoint(Seconds(3));
  auto by_default = pairs.updateStateByKey<int>(runningSum);
  auto lineage3 = lineageOf(every3);
  auto lineage_default = lineageOf(by_default);
  BatchCollector<SI> counts;
  counts.attach(every3);
  runBatches(ssc, 11);
  // Each batch's state is one shuffle on the previous state; the state of 3 s, 6 s and
  // 9 s is checkpointed, so 4 s, 7 s and 10 s start afresh.
  CHECK(lineage3->batches() == each({1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2}));
  // The default: every 10 slides.
  CHECK(lineage_default->batches() == each({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1}));
  // The states are right across the cuts.
  auto out = counts.batches();
  REQUIRE(out.size() == 11);
  for (int k = 1; k <= 10; ++k) CHECK(out[k - 1] == countsAfter(k));
  CHECK(out[10] == countsAfter(10));
}

TEST_CASE("checkpoint(interval) of a plain stream: windows over it read the checkpointed RDDs",
          "[streaming][checkpoint]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto reduced = ones(testInputStream(ssc, growingInput(10))).reduceByKey([](int a, int b) { return a + b; });
  reduced.checkpoint(Seconds(3));
  auto windowed = reduced.window(Seconds(3));
  auto lineage = lineageOf(windowed);
  BatchCollector<SI> windows;
  windows.attach(windowed);
  runBatches(ssc, 10);
  // A window holds the last 3 batches, one shuffle each, except the batch of 3 s, 6 s or
  // 9 s once it is checkpointed (before the next batch is generated).
  CHECK(lineage->batches() == each({1, 2, 3, 2, 2, 3, 2, 2, 3, 2}));
  auto out = windows.batches();
  REQUIRE(out.size() == 10);
  for (int t = 1; t <= 10; ++t) {
    std::vector<SI> expected;
    for (int k = std::max(1, t - 2); k <= t; ++k) {
      expected.emplace_back("a", k);
      expected.emplace_back("b", 1);
    }
    std::sort(expected.begin(), expected.end());
    CHECK(out[t - 1] == expected);
  }
}

TEST_CASE("checkpoint(interval) of mapWithState sets the interval of its state", "[streaming][checkpoint]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto spec = StateSpec([](const std::string& key, std::optional<int> value, State<int>& state) {
    state.update(state.getOption().value_or(0) + value.value_or(0));
    return SI(key, state.get());
  });
  auto mapped = ones(testInputStream(ssc, growingInput(6))).mapWithState(spec).checkpoint(Seconds(2));
  auto lineage = lineageOf(mapped.stateSnapshots());
  BatchCollector<SI> states;
  states.attach(mapped.stateSnapshots());
  runBatches(ssc, 6);
  CHECK(lineage->batches() == each({1, 2, 1, 2, 1, 2}));
  auto out = states.batches();
  REQUIRE(out.size() == 6);
  for (int k = 1; k <= 6; ++k) CHECK(out[k - 1] == countsAfter(k));
}

TEST_CASE("checkpoint(interval) that is not a multiple of the slide fails start() with the stream and interval",
          "[streaming][checkpoint]") {
  auto bad = GENERATE(1500, 500, 0, -1000);
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto state = ones(testInputStream(ssc, growingInput(2))).updateStateByKey<int>(runningSum);
  state.checkpoint(Milliseconds(bad));
  state.foreachRDD([](const RDD<SI>&) {});
  try {
    ssc.start();
    FAIL("start() accepted checkpoint interval " << bad);
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("checkpoint interval of StateDStream"));
    CHECK_THAT(what, Catch::Contains(std::to_string(bad) + " ms"));
    CHECK_THAT(what, Catch::Contains("multiple of 1000 ms"));
  }
}

TEST_CASE("checkpoint(interval) after start() is refused", "[streaming][checkpoint]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto state = ones(testInputStream(ssc, growingInput(2))).updateStateByKey<int>(runningSum);
  state.foreachRDD([](const RDD<SI>&) {});
  ssc.start();
  CHECK_THROWS_AS(state.checkpoint(Seconds(2)), std::logic_error);
  ssc.stop();
}

using sluice::testing::ScratchDir;

TEST_CASE("a restarted driver resumes from the state checkpointed at the checkpoint interval",
          "[streaming][checkpoint][recovery]") {
  ScratchDir dir("checkpoint-interval");
  const int kFirstRun = 8;
  // First run: 8 batches; the state is checkpointed at 3 s and 6 s.
  {
    auto ctx = manualContext();
    StreamingContext ssc(*ctx, Seconds(1));
    ssc.checkpoint(dir.path.string());
    ones(testInputStream(ssc, growingInput(12))).updateStateByKey<int>(runningSum).checkpoint(Seconds(3))
        .foreachRDD([](const RDD<SI>&) {});
    runBatches(ssc, kFirstRun);
  }
  // The restarted driver no longer has the input of batches 1 to 6 (as a WAL would no
  // longer hold it): only the state of 6 s gives the right counts.
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  ssc.checkpoint(dir.path.string());
  Seqs<std::string> later = growingInput(12);
  for (int k = 1; k <= 6; ++k) later[k - 1].clear();
  BatchCollector<SI> counts;
  counts.attach(ones(testInputStream(ssc, later)).updateStateByKey<int>(runningSum).checkpoint(Seconds(3)));
  ssc.manualClock()->setTime(kFirstRun * 1000);
  ssc.start();
  for (int k = kFirstRun + 1; k <= 12; ++k) {
    ssc.manualClock()->advance(1000);
    REQUIRE(ssc.waitForBatch(k * 1000, std::chrono::seconds(30)));
  }
  ssc.stop();
  auto out = counts.batches();
  REQUIRE(out.size() == 12 - kFirstRun);
  for (int k = kFirstRun + 1; k <= 12; ++k) CHECK(out[k - kFirstRun - 1] == countsAfter(k));
}
