// Basic DStream operations on the manual clock, with Spark's BasicOperationsSuite and
// WindowOperationsSuite cases as the reference.
#include <catch2/catch.hpp>

#include "tests/streaming/streaming_test_util.h"

using namespace sluice;
using namespace sluice::testing;
using Batches = std::vector<std::vector<int>>;

TEST_CASE("map, filter and count per batch", "[streaming]") {
  Batches input{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
  auto out = runOperation<int, int>(input, [](DStream<int> s) {
    return s.map([](int x) { return x * 2; }).filter([](int x) { return x % 4 == 0; });
  }, 3);
  CHECK(out == Batches{{4, 8}, {12, 16}, {20, 24}});
  auto counts = runOperation<int, int64_t>(input, [](DStream<int> s) { return s.count(); }, 4);
  CHECK(counts == std::vector<std::vector<int64_t>>{{4}, {4}, {4}, {0}});
}

TEST_CASE("window of 2 s sliding by 1 s, as Spark's WindowOperationsSuite", "[streaming]") {
  Batches input{{1}, {2}, {3}, {4}, {5}, {6}};
  auto out = runOperation<int, int>(input, [](DStream<int> s) { return s.window(Seconds(2), Seconds(1)); }, 8);
  CHECK(out == Batches{{1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6}, {}});
}

TEST_CASE("window of 3 s sliding by 2 s emits every other batch", "[streaming]") {
  Batches input{{0}, {1}, {2}, {3}, {4}, {5}};
  auto out = runOperation<int, int>(input, [](DStream<int> s) { return s.window(Seconds(3), Seconds(2)); }, 8);
  CHECK(out == Batches{{0, 1}, {1, 2, 3}, {3, 4, 5}, {5}});
}

TEST_CASE("reduceByKeyAndWindow with an inverse function keeps zero counts", "[streaming]") {
  using KV = std::pair<std::string, int>;
  std::vector<std::vector<KV>> input{{{"a", 1}}, {{"a", 1}, {"b", 1}}, {}, {}};
  auto out = runOperation<KV, KV>(input, [](DStream<KV> s) {
    return s.reduceByKeyAndWindow([](int a, int b) { return a + b; }, [](int a, int b) { return a - b; }, Seconds(2),
                                  Seconds(1));
  }, 4);
  CHECK(out == std::vector<std::vector<KV>>{{{"a", 1}}, {{"a", 2}, {"b", 1}}, {{"a", 1}, {"b", 1}}, {{"a", 0}, {"b", 0}}});
}
