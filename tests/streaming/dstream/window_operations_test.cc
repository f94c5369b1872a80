// Window operations on the manual clock: the literal cases of Spark's
// WindowOperationsSuite (batches of 1 s; window 2 s sliding by 1 s unless named; the test
// runs window-count * slide / batch batches, so output batch i is the window ending at
// (i + 1) * slide).
#include <catch2/catch.hpp>

#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
using SI = std::pair<std::string, int>;

namespace {

int batchesFor(size_t outputs, Duration slide) { return static_cast<int>(outputs) * static_cast<int>(slide.ms / 1000); }

Seqs<int> windowOf(const Seqs<int>& input, size_t outputs, Duration window = Seconds(2), Duration slide = Seconds(1)) {
  return testOperation(input, [=](DStream<int> s) { return s.window(window, slide); }, batchesFor(outputs, slide));
}

const Seqs<int> kSix{{0}, {1}, {2}, {3}, {4}, {5}};

const Seqs<SI> kLargerSlideInput{{{"a", 1}}, {{"a", 2}}, {{"a", 3}}, {{"a", 4}}, {{"a", 5}}, {{"a", 6}}, {}, {}};
const Seqs<SI> kLargerSlideReduceOutput{{{"a", 3}}, {{"a", 10}}, {{"a", 18}}, {{"a", 11}}};

const Seqs<SI> kBigInput{{{"a", 1}},
                         {{"a", 1}, {"b", 1}},
                         {{"a", 1}, {"b", 1}, {"c", 1}},
                         {{"a", 1}, {"b", 1}},
                         {{"a", 1}},
                         {},
                         {{"a", 1}},
                         {{"a", 1}, {"b", 1}},
                         {{"a", 1}, {"b", 1}, {"c", 1}},
                         {{"a", 1}, {"b", 1}},
                         {{"a", 1}},
                         {}};

const Seqs<SI> kBigReduceOutput{{{"a", 1}},
                                {{"a", 2}, {"b", 1}},
                                {{"a", 2}, {"b", 2}, {"c", 1}},
                                {{"a", 2}, {"b", 2}, {"c", 1}},
                                {{"a", 2}, {"b", 1}},
                                {{"a", 1}},
                                {{"a", 1}},
                                {{"a", 2}, {"b", 1}},
                                {{"a", 2}, {"b", 2}, {"c", 1}},
                                {{"a", 2}, {"b", 2}, {"c", 1}},
                                {{"a", 2}, {"b", 1}},
                                {{"a", 1}}};

// With the inverse function and no filter, keys stay in the window at 0.
const Seqs<SI> kBigReduceInvOutput{{{"a", 1}},
                                   {{"a", 2}, {"b", 1}},
                                   {{"a", 2}, {"b", 2}, {"c", 1}},
                                   {{"a", 2}, {"b", 2}, {"c", 1}},
                                   {{"a", 2}, {"b", 1}, {"c", 0}},
                                   {{"a", 1}, {"b", 0}, {"c", 0}},
                                   {{"a", 1}, {"b", 0}, {"c", 0}},
                                   {{"a", 2}, {"b", 1}, {"c", 0}},
                                   {{"a", 2}, {"b", 2}, {"c", 1}},
                                   {{"a", 2}, {"b", 2}, {"c", 1}},
                                   {{"a", 2}, {"b", 1}, {"c", 0}},
                                   {{"a", 1}, {"b", 0}, {"c", 0}}};

auto plus = [](int a, int b) { return a + b; };
auto minus = [](int a, int b) { return a - b; };

Seqs<SI> reduceByKeyAndWindow(const Seqs<SI>& input, size_t outputs, Duration window = Seconds(2),
                              Duration slide = Seconds(1)) {
  return testOperation(input, [=](DStream<SI> s) { return s.reduceByKeyAndWindow(plus, window, slide); },
                       batchesFor(outputs, slide));
}

Seqs<SI> reduceByKeyAndWindowInv(const Seqs<SI>& input, size_t outputs, Duration window = Seconds(2),
                                 Duration slide = Seconds(1)) {
  return testOperation(input, [=](DStream<SI> s) { return s.reduceByKeyAndWindow(plus, minus, window, slide); },
                       batchesFor(outputs, slide));
}

}  // namespace

TEST_CASE("WindowOperations window - basic window", "[streaming][window]") {
  CHECK(windowOf(kSix, 6) == Seqs<int>{{0}, {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}});
}

TEST_CASE("WindowOperations window - tumbling window", "[streaming][window]") {
  CHECK(windowOf(kSix, 3, Seconds(2), Seconds(2)) == Seqs<int>{{0, 1}, {2, 3}, {4, 5}});
}

TEST_CASE("WindowOperations window - larger window", "[streaming][window]") {
  CHECK(windowOf(kSix, 4, Seconds(4), Seconds(2)) == Seqs<int>{{0, 1}, {0, 1, 2, 3}, {2, 3, 4, 5}, {4, 5}});
}

TEST_CASE("WindowOperations window - non-overlapping window", "[streaming][window]") {
  CHECK(windowOf(kSix, 2, Seconds(2), Seconds(3)) == Seqs<int>{{1, 2}, {4, 5}});
}

TEST_CASE("WindowOperations window - empty batches inside and after the input", "[streaming][window]") {
  CHECK(windowOf(Seqs<int>{{1}, {}, {}, {2}}, 6, Seconds(3), Seconds(1)) ==
        Seqs<int>{{1}, {1}, {1}, {2}, {2}, {2}});
}

TEST_CASE("WindowOperations window of a window", "[streaming][window]") {
  // Spark's "rdd cleanup - map and window" stream: window(2 s, 1 s) then window(4 s, 2 s).
  auto out = testOperation(Seqs<int>{{0}, {1}, {2}, {3}, {4}, {5}}, [](DStream<int> s) {
    return s.window(Seconds(2), Seconds(1)).window(Seconds(4), Seconds(2));
  }, 8);
  CHECK(out == Seqs<int>{{0, 0, 1}, {0, 0, 1, 1, 2, 2, 3}, {1, 2, 2, 3, 3, 4, 4, 5}, {3, 4, 4, 5, 5}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow - basic reduction", "[streaming][window]") {
  CHECK(reduceByKeyAndWindow({{{"a", 1}, {"a", 3}}}, 1) == Seqs<SI>{{{"a", 4}}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow - key already in window and new value added into window",
          "[streaming][window]") {
  CHECK(reduceByKeyAndWindow({{{"a", 1}}, {{"a", 1}}}, 2) == Seqs<SI>{{{"a", 1}}, {{"a", 2}}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow - new key added into window", "[streaming][window]") {
  CHECK(reduceByKeyAndWindow({{{"a", 1}}, {{"a", 1}, {"b", 1}}}, 2) == Seqs<SI>{{{"a", 1}}, {{"a", 2}, {"b", 1}}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow - key removed from window", "[streaming][window]") {
  CHECK(reduceByKeyAndWindow({{{"a", 1}}, {{"a", 1}}, {}, {}}, 4) == Seqs<SI>{{{"a", 1}}, {{"a", 2}}, {{"a", 1}}, {}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow - larger slide time", "[streaming][window]") {
  CHECK(reduceByKeyAndWindow(kLargerSlideInput, 4, Seconds(4), Seconds(2)) == kLargerSlideReduceOutput);
}

TEST_CASE("WindowOperations reduceByKeyAndWindow - big test", "[streaming][window]") {
  CHECK(reduceByKeyAndWindow(kBigInput, 12) == kBigReduceOutput);
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse function - basic reduction", "[streaming][window]") {
  CHECK(reduceByKeyAndWindowInv({{{"a", 1}, {"a", 3}}}, 1) == Seqs<SI>{{{"a", 4}}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse function - key already in window and new value "
          "added into window",
          "[streaming][window]") {
  CHECK(reduceByKeyAndWindowInv({{{"a", 1}}, {{"a", 1}}}, 2) == Seqs<SI>{{{"a", 1}}, {{"a", 2}}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse function - new key added into window",
          "[streaming][window]") {
  CHECK(reduceByKeyAndWindowInv({{{"a", 1}}, {{"a", 1}, {"b", 1}}}, 2) ==
        Seqs<SI>{{{"a", 1}}, {{"a", 2}, {"b", 1}}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse function - key removed from window",
          "[streaming][window]") {
  CHECK(reduceByKeyAndWindowInv({{{"a", 1}}, {{"a", 1}}, {}, {}}, 4) ==
        Seqs<SI>{{{"a", 1}}, {{"a", 2}}, {{"a", 1}}, {{"a", 0}}});
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse function - larger slide time", "[streaming][window]") {
  CHECK(reduceByKeyAndWindowInv(kLargerSlideInput, 4, Seconds(4), Seconds(2)) == kLargerSlideReduceOutput);
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse function - big test", "[streaming][window]") {
  CHECK(reduceByKeyAndWindowInv(kBigInput, 12) == kBigReduceInvOutput);
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse and filter functions - big test",
          "[streaming][window]") {
  auto out = testOperation(kBigInput, [](DStream<SI> s) {
    return s.reduceByKeyAndWindow(plus, minus, Seconds(2), Seconds(1), 0, [](const SI& kv) { return kv.second != 0; });
  }, 12);
  CHECK(out == kBigReduceOutput);
}

TEST_CASE("WindowOperations groupByKeyAndWindow", "[streaming][window]") {
  using G = std::pair<std::string, std::vector<int>>;
  auto out = testOperation(kBigInput, [](DStream<SI> s) {
    return s.groupByKeyAndWindow(Seconds(2), Seconds(1)).mapValues([](std::vector<int>&& v) {
      std::sort(v.begin(), v.end());
      return std::move(v);
    });
  }, 12);
  CHECK(out == Seqs<G>{{{"a", {1}}},
                       {{"a", {1, 1}}, {"b", {1}}},
                       {{"a", {1, 1}}, {"b", {1, 1}}, {"c", {1}}},
                       {{"a", {1, 1}}, {"b", {1, 1}}, {"c", {1}}},
                       {{"a", {1, 1}}, {"b", {1}}},
                       {{"a", {1}}},
                       {{"a", {1}}},
                       {{"a", {1, 1}}, {"b", {1}}},
                       {{"a", {1, 1}}, {"b", {1, 1}}, {"c", {1}}},
                       {{"a", {1, 1}}, {"b", {1, 1}}, {"c", {1}}},
                       {{"a", {1, 1}}, {"b", {1}}},
                       {{"a", {1}}}});
}

TEST_CASE("WindowOperations countByWindow", "[streaming][window]") {
  auto out = testOperation(Seqs<int>{{1}, {1}, {1, 2}, {0}, {}, {}},
                           [](DStream<int> s) { return s.countByWindow(Seconds(2), Seconds(1)); }, 6);
  CHECK(out == Seqs<int64_t>{{1}, {2}, {3}, {3}, {1}, {0}});
}

TEST_CASE("WindowOperations countByValueAndWindow", "[streaming][window]") {
  auto out = testOperation(Seqs<std::string>{{"a"}, {"b", "b"}, {"a", "b"}}, [](DStream<std::string> s) {
    return s.countByValueAndWindow(Seconds(2), Seconds(1));
  }, 3);
  using P = std::pair<std::string, int64_t>;
  CHECK(out == Seqs<P>{{{"a", 1}}, {{"a", 1}, {"b", 2}}, {{"a", 1}, {"b", 3}}});
}

TEST_CASE("WindowOperations countByValueAndWindow drops values whose count reaches zero", "[streaming][window]") {
  auto out = testOperation(Seqs<std::string>{{"a"}, {"b", "b"}, {"a", "b"}}, [](DStream<std::string> s) {
    return s.countByValueAndWindow(Seconds(2), Seconds(1));
  }, 5);
  using P = std::pair<std::string, int64_t>;
  CHECK(out == Seqs<P>{{{"a", 1}}, {{"a", 1}, {"b", 2}}, {{"a", 1}, {"b", 3}}, {{"a", 1}, {"b", 1}}, {}});
}

TEST_CASE("WindowOperations reduceByWindow without and with an inverse function", "[streaming][window]") {
  Seqs<int> input{{1}, {2, 3}, {}, {4}, {}, {}};
  auto naive = testOperation(input, [](DStream<int> s) {
    return s.reduceByWindow(plus, Seconds(3), Seconds(1));
  }, 7);
  // Empty windows have no value; a window keeps no record once all its batches are empty.
  CHECK(naive == Seqs<int>{{1}, {6}, {6}, {9}, {4}, {4}, {}});
  auto inverse = testOperation(input, [](DStream<int> s) {
    return s.reduceByWindow(plus, minus, Seconds(3), Seconds(1));
  }, 7);
  // With the inverse function the value stays, at 0 once the window is empty.
  CHECK(inverse == Seqs<int>{{1}, {6}, {6}, {9}, {4}, {4}, {0}});
}

TEST_CASE("WindowOperations reduceByWindow with a window longer than the slide", "[streaming][window]") {
  Seqs<int> input{{1}, {2}, {3}, {4}, {5}, {6}};
  auto naive = testOperation(input, [](DStream<int> s) { return s.reduceByWindow(plus, Seconds(4), Seconds(2)); }, 8);
  auto inverse = testOperation(input, [](DStream<int> s) {
    return s.reduceByWindow(plus, minus, Seconds(4), Seconds(2));
  }, 8);
  CHECK(naive == Seqs<int>{{3}, {10}, {18}, {11}});
  CHECK(inverse == naive);
}

TEST_CASE("WindowOperations reduceByKeyAndWindow with inverse equals the naive one over 30 batches",
          "[streaming][window]") {
  // Crosses the batches at which the windowed RDDs lose their lineage (every 10 slides).
  Seqs<SI> input;
  for (int i = 0; i < 30; ++i) {
    std::vector<SI> batch;
    for (int k = 0; k < i % 4; ++k) batch.emplace_back(std::string(1, static_cast<char>('a' + (i + k) % 5)), i + k);
    input.push_back(batch);
  }
  auto naive = testOperation(input, [](DStream<SI> s) { return s.reduceByKeyAndWindow(plus, Seconds(5), Seconds(1)); }, 30);
  auto inverse = testOperation(input, [](DStream<SI> s) {
    return s.reduceByKeyAndWindow(plus, minus, Seconds(5), Seconds(1), 3, [](const SI& kv) { return kv.second != 0; });
  }, 30);
  REQUIRE(naive.size() == 30);
  CHECK(inverse == naive);
  auto sliding = testOperation(input, [](DStream<SI> s) {
    return s.reduceByKeyAndWindow(plus, minus, Seconds(6), Seconds(2), 0, [](const SI& kv) { return kv.second != 0; });
  }, 30);
  auto sliding_naive = testOperation(input, [](DStream<SI> s) {
    return s.reduceByKeyAndWindow(plus, Seconds(6), Seconds(2));
  }, 30);
  REQUIRE(sliding.size() == 15);
  CHECK(sliding == sliding_naive);
}

TEST_CASE("WindowOperations streams remember what later windows need", "[streaming][window]") {
  // Spark's "rdd cleanup - map and window": remember 3 s, 10 batches of (x % 10, 1).
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  Seqs<int> input;
  for (int x = 0; x < 10; ++x) input.push_back({x, x + 1});
  auto mapped = testInputStream(ssc, input).map([](int x) { return std::pair<int, int>(x % 10, 1); });
  auto window1 = mapped.window(Seconds(2), Seconds(1));
  auto window2 = window1.window(Seconds(4), Seconds(2));
  BatchCollector<std::pair<int, int>> out;
  out.attach(window2);
  ssc.remember(Seconds(3));
  runBatches(ssc, 10);
  CHECK(out.batches().size() == 5);
  CHECK(window2.node()->rememberDuration() == Seconds(3));
  CHECK(window1.node()->rememberDuration() == Seconds(3 + 4));
  CHECK(mapped.node()->rememberDuration() == Seconds(3 + 4 + 2));
  // window2 remembers 10, 9, 8, 7 s; window1 down to 4 s; mapped down to 2 s.
  CHECK(window2.node()->generatedTimes() == std::vector<Time>{8000, 10000});
  CHECK(window1.node()->generatedTimes() == std::vector<Time>{4000, 5000, 6000, 7000, 8000, 9000, 10000});
  CHECK(mapped.node()->generatedTimes() ==
        std::vector<Time>{2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000});
}

TEST_CASE("WindowOperations a chain of maps remembers one batch at every level, as in Spark", "[streaming][window]") {
  // Spark's parentRememberDuration is the stream's own remember duration (plus the window
  // for windows): a map over a map over the input does not add a batch per level.
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  Seqs<int> input;
  for (int x = 0; x < 6; ++x) input.push_back({x});
  auto in = testInputStream(ssc, input);
  auto mapped = in.map([](int x) { return x + 1; }).filter([](int x) { return x > 0; });
  auto doubled = mapped.map([](int x) { return 2 * x; });
  BatchCollector<int> out;
  out.attach(doubled);
  runBatches(ssc, 6);
  CHECK(out.batches() == Seqs<int>{{2}, {4}, {6}, {8}, {10}, {12}});
  CHECK(in.node()->rememberDuration() == Seconds(1));
  CHECK(mapped.node()->rememberDuration() == Seconds(1));
  CHECK(doubled.node()->rememberDuration() == Seconds(1));
  CHECK(in.node()->generatedTimes() == std::vector<Time>{6000});
  CHECK(mapped.node()->generatedTimes() == std::vector<Time>{6000});
}
