// Per-batch DStream operations on the manual clock: the literal cases of Spark's
// BasicOperationsSuite (inputs of 2 partitions, batches of 1 s, outputs compared as sets).
#include <catch2/catch.hpp>

#include <numeric>

#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
using SI = std::pair<std::string, int>;

namespace {

std::vector<int> range(int from, int to) {
  std::vector<int> v(static_cast<size_t>(to - from + 1));
  std::iota(v.begin(), v.end(), from);
  return v;
}

const Seqs<int> kInput{range(1, 4), range(5, 8), range(9, 12)};

}  // namespace

TEST_CASE("BasicOperations map", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) { return s.map([](int x) { return std::to_string(x); }); }, 3);
  CHECK(out == Seqs<std::string>{{"1", "2", "3", "4"}, {"5", "6", "7", "8"}, {"10", "11", "12", "9"}});
}

TEST_CASE("BasicOperations flatMap", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) {
    return s.flatMap([](int x) { return std::vector<int>{x, x * 2}; });
  }, 3);
  CHECK(out == Seqs<int>{{1, 2, 2, 3, 4, 4, 6, 8}, {5, 6, 7, 8, 10, 12, 14, 16}, {9, 10, 11, 12, 18, 20, 22, 24}});
}

TEST_CASE("BasicOperations filter", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) { return s.filter([](int x) { return x % 2 == 0; }); }, 3);
  CHECK(out == Seqs<int>{{2, 4}, {6, 8}, {10, 12}});
}

TEST_CASE("BasicOperations glom", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) { return s.glom(); }, 3);
  CHECK(out == Seqs<std::vector<int>>{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{9, 10}, {11, 12}}});
}

TEST_CASE("BasicOperations mapPartitions", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) {
    return s.mapPartitions([](std::vector<int>&& xs) { return std::vector<int>{std::accumulate(xs.begin(), xs.end(), 0)}; });
  }, 3);
  CHECK(out == Seqs<int>{{3, 7}, {11, 15}, {19, 23}});
}

namespace {

// Spark's runStreamsWithPartitions: each batch's partitions (glom) after repartition(n).
Seqs<std::vector<int>> repartitioned(int input_partitions, int n) {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto s = testInputStream(ssc, Seqs<int>{range(1, 100), range(101, 200), range(201, 300)}, input_partitions);
  BatchCollector<std::vector<int>> out(false);
  out.attach(s.repartition(n).glom());
  runBatches(ssc, 3);
  return out.batches();
}

void checkRepartitioned(const Seqs<std::vector<int>>& out, size_t n) {
  REQUIRE(out.size() == 3);
  for (int b = 0; b < 3; ++b) {
    CHECK(out[b].size() == n);
    std::vector<int> all;
    for (auto& part : out[b]) all.insert(all.end(), part.begin(), part.end());
    std::sort(all.begin(), all.end());
    CHECK(all == range(b * 100 + 1, b * 100 + 100));
  }
}

}  // namespace

TEST_CASE("BasicOperations repartition to more partitions", "[streaming][ops]") {
  checkRepartitioned(repartitioned(2, 5), 5);
}

TEST_CASE("BasicOperations repartition to fewer partitions", "[streaming][ops]") {
  checkRepartitioned(repartitioned(5, 2), 2);
}

namespace {
const Seqs<std::string> kWords{{"a", "a", "b"}, {"", ""}, {}};
auto pairsOf(DStream<std::string> s) { return s.map([](const std::string& w) { return SI(w, 1); }); }
}  // namespace

TEST_CASE("BasicOperations groupByKey", "[streaming][ops]") {
  auto out = testOperation(kWords, [](DStream<std::string> s) { return pairsOf(s).groupByKey(); }, 3);
  using G = std::pair<std::string, std::vector<int>>;
  CHECK(out == Seqs<G>{{{"a", {1, 1}}, {"b", {1}}}, {{"", {1, 1}}}, {}});
}

TEST_CASE("BasicOperations reduceByKey", "[streaming][ops]") {
  auto out = testOperation(kWords, [](DStream<std::string> s) {
    return pairsOf(s).reduceByKey([](int a, int b) { return a + b; });
  }, 3);
  CHECK(out == Seqs<SI>{{{"a", 2}, {"b", 1}}, {{"", 2}}, {}});
}

TEST_CASE("BasicOperations reduce", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) { return s.reduce([](int a, int b) { return a + b; }); }, 3);
  CHECK(out == Seqs<int>{{10}, {26}, {42}});
}

TEST_CASE("BasicOperations count", "[streaming][ops]") {
  auto out = testOperation(Seqs<int>{{}, range(1, 1), range(1, 2), range(1, 3), range(1, 4)},
                           [](DStream<int> s) { return s.count(); }, 5);
  CHECK(out == Seqs<int64_t>{{0}, {1}, {2}, {3}, {4}});
}

TEST_CASE("BasicOperations countByValue", "[streaming][ops]") {
  auto out = testOperation(Seqs<int>{{1}, {1, 1, 1}, {1, 2}, {1, 1, 2, 2}},
                           [](DStream<int> s) { return s.countByValue(); }, 4);
  using P = std::pair<int, int64_t>;
  CHECK(out == Seqs<P>{{{1, 1}}, {{1, 3}}, {{1, 1}, {2, 1}}, {{1, 2}, {2, 2}}});
}

TEST_CASE("BasicOperations combineByKey", "[streaming][ops]") {
  // combineByKey as Spark's groupByKey is built: (values as a list), per batch.
  auto out = testOperation(kWords, [](DStream<std::string> s) {
    return pairsOf(s).combineByKey([](int v) { return std::vector<int>{v}; },
                                   [](std::vector<int>&& c, int v) { c.push_back(v); return std::move(c); },
                                   [](std::vector<int>&& a, std::vector<int>&& b) {
                                     a.insert(a.end(), b.begin(), b.end());
                                     return std::move(a);
                                   });
  }, 3);
  using G = std::pair<std::string, std::vector<int>>;
  CHECK(out == Seqs<G>{{{"a", {1, 1}}, {"b", {1}}}, {{"", {1, 1}}}, {}});
}

TEST_CASE("BasicOperations mapValues", "[streaming][ops]") {
  auto out = testOperation(kWords, [](DStream<std::string> s) {
    return pairsOf(s).reduceByKey([](int a, int b) { return a + b; }).mapValues([](int x) { return x + 10; });
  }, 3);
  CHECK(out == Seqs<SI>{{{"a", 12}, {"b", 11}}, {{"", 12}}, {}});
}

TEST_CASE("BasicOperations flatMapValues", "[streaming][ops]") {
  auto out = testOperation(kWords, [](DStream<std::string> s) {
    return pairsOf(s).reduceByKey([](int a, int b) { return a + b; }).flatMapValues([](int x) {
      return std::vector<int>{x, x + 10};
    });
  }, 3);
  CHECK(out == Seqs<SI>{{{"a", 2}, {"a", 12}, {"b", 1}, {"b", 11}}, {{"", 2}, {"", 12}}, {}});
}

TEST_CASE("BasicOperations union", "[streaming][ops]") {
  auto out = testOperation(Seqs<int>{range(1, 4), range(101, 104), range(201, 204)}, [](DStream<int> s) {
    return s.union_(s.map([](int x) { return x + 4; }));
  }, 3);
  CHECK(out == Seqs<int>{range(1, 8), range(101, 108), range(201, 208)});
}

TEST_CASE("BasicOperations StreamingContext union of three streams", "[streaming][ops]") {
  auto out = testOperation(Seqs<int>{range(1, 4), range(101, 104), range(201, 204)}, [](DStream<int> s) {
    return unionStreams<int>({s, s.map([](int x) { return x + 4; }), s.map([](int x) { return x + 8; })});
  }, 3);
  CHECK(out == Seqs<int>{range(1, 12), range(101, 112), range(201, 212)});
}

TEST_CASE("BasicOperations transform", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) {
    return s.transform([](const RDD<int>& rdd) { return rdd.map([](int x) { return std::to_string(x); }); });
  }, 3);
  CHECK(out == Seqs<std::string>{{"1", "2", "3", "4"}, {"5", "6", "7", "8"}, {"10", "11", "12", "9"}});
}

TEST_CASE("BasicOperations transform sees the batch time", "[streaming][ops]") {
  auto out = testOperation(kInput, [](DStream<int> s) {
    return s.transform([](const RDD<int>& rdd, Time t) { return rdd.map([t](int x) { return t + x; }); });
  }, 2);
  CHECK(out == Seqs<int64_t>{{1001, 1002, 1003, 1004}, {2005, 2006, 2007, 2008}});
}

namespace {
const Seqs<std::string> kJoin1{{"a", "b"}, {"a", ""}, {""}, {}};
const Seqs<std::string> kJoin2{{"a", "b"}, {"b", ""}, {}, {""}};
auto ones(DStream<std::string> s) { return s.map([](const std::string& w) { return SI(w, 1); }); }
auto xs(DStream<std::string> s) {
  return s.map([](const std::string& w) { return std::pair<std::string, std::string>(w, "x"); });
}
using OI = std::optional<int>;
using OS = std::optional<std::string>;
}  // namespace

TEST_CASE("BasicOperations transformWith", "[streaming][ops]") {
  auto out = testOperation2(kJoin1, kJoin2, [](DStream<std::string> a, DStream<std::string> b) {
    return ones(a).transformWith(xs(b), [](const auto& r1, const auto& r2) { return r1.join(r2); });
  }, 4);
  using J = std::pair<std::string, std::pair<int, std::string>>;
  CHECK(out == Seqs<J>{{{"a", {1, "x"}}, {"b", {1, "x"}}}, {{"", {1, "x"}}}, {}, {}});
}

TEST_CASE("BasicOperations cogroup", "[streaming][ops]") {
  auto out = testOperation2(Seqs<std::string>{{"a", "a", "b"}, {"a", ""}, {""}, {}},
                            Seqs<std::string>{{"a", "a", "b"}, {"b", ""}, {}, {}},
                            [](DStream<std::string> a, DStream<std::string> b) { return ones(a).cogroup(xs(b)); }, 4);
  using G = std::pair<std::string, std::pair<std::vector<int>, std::vector<std::string>>>;
  CHECK(out == Seqs<G>{{{"a", {{1, 1}, {"x", "x"}}}, {"b", {{1}, {"x"}}}},
                       {{"", {{1}, {"x"}}}, {"a", {{1}, {}}}, {"b", {{}, {"x"}}}},
                       {{"", {{1}, {}}}},
                       {}});
}

TEST_CASE("BasicOperations join", "[streaming][ops]") {
  auto out = testOperation2(kJoin1, kJoin2, [](DStream<std::string> a, DStream<std::string> b) {
    return ones(a).join(xs(b));
  }, 4);
  using J = std::pair<std::string, std::pair<int, std::string>>;
  CHECK(out == Seqs<J>{{{"a", {1, "x"}}, {"b", {1, "x"}}}, {{"", {1, "x"}}}, {}, {}});
}

TEST_CASE("BasicOperations leftOuterJoin", "[streaming][ops]") {
  auto out = testOperation2(kJoin1, kJoin2, [](DStream<std::string> a, DStream<std::string> b) {
    return ones(a).leftOuterJoin(xs(b));
  }, 4);
  using J = std::pair<std::string, std::pair<int, OS>>;
  CHECK(out == Seqs<J>{{{"a", {1, "x"}}, {"b", {1, "x"}}}, {{"", {1, "x"}}, {"a", {1, std::nullopt}}},
                       {{"", {1, std::nullopt}}}, {}});
}

TEST_CASE("BasicOperations rightOuterJoin", "[streaming][ops]") {
  auto out = testOperation2(kJoin1, kJoin2, [](DStream<std::string> a, DStream<std::string> b) {
    return ones(a).rightOuterJoin(xs(b));
  }, 4);
  using J = std::pair<std::string, std::pair<OI, std::string>>;
  CHECK(out == Seqs<J>{{{"a", {1, "x"}}, {"b", {1, "x"}}}, {{"", {1, "x"}}, {"b", {std::nullopt, "x"}}}, {},
                       {{"", {std::nullopt, "x"}}}});
}

TEST_CASE("BasicOperations fullOuterJoin", "[streaming][ops]") {
  auto out = testOperation2(kJoin1, kJoin2, [](DStream<std::string> a, DStream<std::string> b) {
    return ones(a).fullOuterJoin(xs(b));
  }, 4);
  using J = std::pair<std::string, std::pair<OI, OS>>;
  CHECK(out == Seqs<J>{{{"a", {1, "x"}}, {"b", {1, "x"}}},
                       {{"", {1, "x"}}, {"a", {1, std::nullopt}}, {"b", {std::nullopt, "x"}}},
                       {{"", {1, std::nullopt}}},
                       {{"", {std::nullopt, "x"}}}});
}

TEST_CASE("BasicOperations a batch with no parent RDD: map has none, transform and union fail", "[streaming][ops]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  // Batch 3 (t = 3000) has no input RDD, as Spark's null input.
  auto s = testInputStream(ssc, Seqs<int>{range(1, 4), range(5, 8), {}}, 2, {3});
  auto mapped = s.map([](int x) { return x + 1; });
  auto transformed = s.transform([](const RDD<int>& r) { return r; });
  auto unioned = s.union_(mapped);
  auto joined = mapped.map([](int x) { return std::pair<int, int>(x, x); }).transformWith(
      s.map([](int x) { return std::pair<int, int>(x, x); }), [](const auto& a, const auto& b) { return a.union_(b); });
  mapped.foreachRDD([](const RDD<int>&) {});
  transformed.foreachRDD([](const RDD<int>&) {});
  unioned.foreachRDD([](const RDD<int>&) {});
  joined.foreachRDD([](const auto&) {});
  REQUIRE(ssc.graph().start(0, Seconds(1), Duration{0}));
  CHECK(mapped.node()->getOrCompute(2000).has_value());
  CHECK_FALSE(mapped.node()->getOrCompute(3000).has_value());
  CHECK_THROWS_WITH(transformed.node()->getOrCompute(3000), Catch::Contains("couldn't generate RDD from parent"));
  CHECK_THROWS_WITH(unioned.node()->getOrCompute(3000), Catch::Contains("could not generate RDD from a parent"));
  CHECK_THROWS_WITH(joined.node()->getOrCompute(3000), Catch::Contains("couldn't generate RDD from parent"));
}

TEST_CASE("BasicOperations slice", "[streaming][ops]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto s = testInputStream(ssc, Seqs<int>{{1}, {2}, {3}, {4}});
  s.foreachRDD([](const RDD<int>&) {});
  CHECK_THROWS_WITH(s.slice(0, 1000), Catch::Contains("has not been initialized"));
  ssc.remember(Seconds(10));
  runBatches(ssc, 4);
  auto inputOf = [&](Time from, Time to) {
    std::set<int> out;
    for (auto& rdd : s.slice(from, to))
      for (int x : rdd.collect()) out.insert(x);
    return out;
  };
  CHECK(inputOf(0, 1000) == std::set<int>{1});
  CHECK(inputOf(0, 2000) == std::set<int>{1, 2});
  CHECK(inputOf(1000, 2000) == std::set<int>{1, 2});
  CHECK(inputOf(2000, 4000) == std::set<int>{2, 3, 4});
  // Unaligned ends are aligned down to batch times.
  CHECK(inputOf(1500, 3999) == std::set<int>{1, 2, 3});
}

TEST_CASE("BasicOperations StreamingContext transform over three streams", "[streaming][ops]") {
  auto out = testOperation(Seqs<int>{range(1, 4), range(101, 104), range(201, 204)}, [](DStream<int> s) {
    return transformStreams<int>({s, s.map([](int x) { return x + 4; }), s.map([](int x) { return x + 8; })},
                                 [](const std::vector<RDD<int>>& rdds, Time) {
                                   return rdds[0].union_(rdds[1]).union_(rdds[2]);
                                 });
  }, 3);
  CHECK(out == Seqs<int>{range(1, 12), range(101, 112), range(201, 212)});
}

TEST_CASE("BasicOperations keyed operations use the requested number of partitions", "[streaming][ops]") {
  auto out = testOperation(kWords, [](DStream<std::string> s) {
    return pairsOf(s).reduceByKey([](int a, int b) { return a + b; }, 3).glom().map([](std::vector<SI>&&) { return 1; });  // one record per partition
  }, 2);
  CHECK(out == Seqs<int>{{1, 1, 1}, {1, 1, 1}});
}
