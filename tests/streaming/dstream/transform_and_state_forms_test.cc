// Spark API forms met while porting Spark programs, on the manual clock: the
// StreamingContext's transform over streams of different element types, and
// updateStateByKey's iterator form with a partitioner (and rememberPartitioner).
#include <catch2/catch.hpp>

#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
using SI = std::pair<std::string, int>;
using Entries = std::vector<StateEntry<std::string, int, int>>;

namespace {

auto ones(DStream<std::string> s) { return s.map([](const std::string& w) { return SI(w, 1); }); }

}  // namespace

TEST_CASE("StreamingContext transform over streams of three element types, with the batch time",
          "[streaming][ops]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto numbers = testInputStream(ssc, Seqs<int>{{1, 2}, {3}, {}});
  auto words = testInputStream(ssc, Seqs<std::string>{{"a"}, {}, {"b", "c"}});
  auto pairs = ones(testInputStream(ssc, Seqs<std::string>{{"x"}, {"y"}, {"z"}}));
  auto joined = ssc.transform(
      [](const RDD<int>& n, const RDD<std::string>& w, const RDD<SI>& p, Time t) {
        auto tag = [t](std::string&& s) { return std::to_string(t) + ":" + s; };
        return n.map([](int x) { return "n" + std::to_string(x); })
            .union_(w.map([](std::string&& s) { return "w" + s; }))
            .union_(p.map([](SI&& kv) { return "p" + kv.first + std::to_string(kv.second); }))
            .map(tag);
      },
      numbers, words, pairs);
  static_assert(std::is_same_v<decltype(joined), DStream<std::string>>);
  BatchCollector<std::string> out;
  out.attach(joined);
  runBatches(ssc, 3);
  CHECK(out.batches() == Seqs<std::string>{{"1000:n1", "1000:n2", "1000:px1", "1000:wa"},
                                           {"2000:n3", "2000:py1"},
                                           {"3000:pz1", "3000:wb", "3000:wc"}});
}

TEST_CASE("StreamingContext transform over two element types without the time, and the one-type form",
          "[streaming][ops]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto numbers = testInputStream(ssc, Seqs<int>{{1, 2}, {3}});
  auto pairs = ones(testInputStream(ssc, Seqs<std::string>{{"x", "y"}, {}}));
  auto sizes = ssc.transform(
      [](const RDD<int>& n, const RDD<SI>& p) {
        return n.map([](int x) { return std::pair<std::string, int>("n", x); }).union_(p);
      },
      numbers, pairs);
  BatchCollector<SI> out;
  out.attach(sizes);
  // The vector form over streams of one type still works.
  auto doubled = ssc.transform(std::vector<DStream<int>>{numbers, numbers}, [](const std::vector<RDD<int>>& rdds) {
    return rdds[0].union_(rdds[1]);
  });
  BatchCollector<int> twice;
  twice.attach(doubled);
  runBatches(ssc, 2);
  CHECK(out.batches() == Seqs<SI>{{{"n", 1}, {"n", 2}, {"x", 1}, {"y", 1}}, {{"n", 3}}});
  CHECK(twice.batches() == Seqs<int>{{1, 1, 2, 2}, {3, 3}});
}

TEST_CASE("StreamingContext transform refuses streams of different slides", "[streaming][ops]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto numbers = testInputStream(ssc, Seqs<int>{{1}});
  auto words = testInputStream(ssc, Seqs<std::string>{{"a"}}).window(Seconds(2), Seconds(2));
  auto f = [](const RDD<int>& n, const RDD<std::string>&) { return n; };
  CHECK_THROWS_AS(ssc.transform(f, numbers, words), std::invalid_argument);
}

namespace {

// Spark's iterator form: a running count per key; a key whose count passes 3 is removed
// by leaving it out. Records the partition of each key with it (below).
auto countUpTo3 = [](Entries&& entries) {
  std::vector<SI> out;
  for (auto& [key, values, state] : entries) {
    int count = state.value_or(0) + static_cast<int>(values.size());
    if (count <= 3) out.emplace_back(key, count);
  }
  return out;
};

const Seqs<std::string> kWords{{"a", "c"}, {"a", "b", "c"}, {"c"}, {"a", "c"}, {}};

// Each state record with the partition it is in.
template <class S>
auto withPartition(const DStream<std::pair<std::string, S>>& state) {
  return state.transform([](const RDD<std::pair<std::string, S>>& rdd) {
    return rdd.mapPartitionsWithIndex([](int split, std::vector<std::pair<std::string, S>>&& rows) {
      std::vector<std::pair<int, std::pair<std::string, S>>> out;
      for (auto& kv : rows) out.emplace_back(split, kv);
      return out;
    });
  });
}

}  // namespace

TEST_CASE("updateStateByKey iterator form with a partitioner: keys left out are removed, the state partitioned by it",
          "[streaming][state]") {
  // rememberPartitioner true and false give the same states.
  bool remember = GENERATE(true, false);
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  // Range partitioner: "a" and "b" in partition 0, "c" in partition 1.
  auto partitioner = Partitioner<std::string>::range({"b"}, true);
  auto state = ones(testInputStream(ssc, kWords)).updateStateByKey<int>(countUpTo3, partitioner, remember);
  using PI = std::pair<int, SI>;
  BatchCollector<PI> out;
  out.attach(withPartition(state));
  runBatches(ssc, 5);
  // c passes 3 at the 4th batch and is removed; a reaches 3 there and stays.
  CHECK(out.batches() == Seqs<PI>{{{0, {"a", 1}}, {1, {"c", 1}}},
                                  {{0, {"a", 2}}, {0, {"b", 1}}, {1, {"c", 2}}},
                                  {{0, {"a", 2}}, {0, {"b", 1}}, {1, {"c", 3}}},
                                  {{0, {"a", 3}}, {0, {"b", 1}}},
                                  {{0, {"a", 3}}, {0, {"b", 1}}}});
}

TEST_CASE("updateStateByKey iterator form with the batch time and an initial RDD", "[streaming][state]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  // Each key's state: the last batch time it had values (its initial state when none).
  auto lastSeen = [](Time t, std::vector<StateEntry<std::string, int, int64_t>>&& entries) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (auto& [key, values, state] : entries) out.emplace_back(key, values.empty() ? state.value_or(-1) : t);
    return out;
  };
  using SL = std::pair<std::string, int64_t>;
  auto initial = ctx->parallelize(std::vector<SL>{{"a", 0}, {"z", 7}});
  auto state = ones(testInputStream(ssc, Seqs<std::string>{{"a"}, {"b"}, {}}))
                   .updateStateByKey<int64_t>(lastSeen, Partitioner<std::string>::hash(3), true, initial);
  BatchCollector<SL> out;
  out.attach(state);
  runBatches(ssc, 3);
  CHECK(out.batches() == Seqs<SL>{{{"a", 1000}, {"z", 7}},
                                  {{"a", 1000}, {"b", 2000}, {"z", 7}},
                                  {{"a", 1000}, {"b", 2000}, {"z", 7}}});
}

TEST_CASE("updateStateByKey with a partitioner takes the per-key function too", "[streaming][state]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  // Returning nothing removes the key: b goes at its second batch without values.
  auto update = [](std::vector<int>&& values, std::optional<int>&& state) -> std::optional<int> {
    if (values.empty() && state && *state < 0) return std::nullopt;
    if (values.empty()) return -state.value_or(0);
    return state.value_or(0) + static_cast<int>(values.size());
  };
  auto state = ones(testInputStream(ssc, Seqs<std::string>{{"a", "b"}, {"a"}, {"a"}}))
                   .updateStateByKey<int>(update, Partitioner<std::string>::hash(2), false);
  BatchCollector<SI> out;
  out.attach(state);
  runBatches(ssc, 4);
  CHECK(out.batches() == Seqs<SI>{{{"a", 1}, {"b", 1}}, {{"a", 2}, {"b", -1}}, {{"a", 3}}, {{"a", -3}}});
}
