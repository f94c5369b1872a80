// The RDD API end to end in local[2]: every transformation and action on small inputs with
// exact expected outputs, plus caching, broadcasts, task retries and job failure messages.
// The executor runs in this process, so lambdas may count their calls in static atomics.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "driver/context.h"

namespace sluice {
namespace {
namespace fs = std::filesystem;

std::unique_ptr<Context> makeContext(Conf conf = {}) {
  auto ctx = Context::create({"local[2]", "test", "", conf});
  REQUIRE(ctx);
  return std::move(ctx).value();
}

template <class T>
std::vector<T> sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<int> range(int begin, int end) {
  std::vector<int> v(static_cast<size_t>(end - begin));
  std::iota(v.begin(), v.end(), begin);
  return v;
}

// The message of the JobFailedError that fn throws; fails the test when it throws none.
template <class Fn>
std::string jobFailure(Fn&& fn) {
  try {
    fn();
  } catch (const JobFailedError& e) {
    return e.what();
  }
  FAIL("expected a JobFailedError");
  return "";
}

// A fresh directory under the system temp dir, removed with its contents at scope end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("sluice-rdd-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using IntPair = std::pair<int, int>;
using StrInt = std::pair<std::string, int>;

// ---- Narrow transformations ----

TEST_CASE("map, flatMap and filter", "[rdd]") {
  auto ctx = makeContext();
  auto nums = ctx->parallelize(range(1, 11), 3);
  CHECK(nums.numPartitions() == 3);

  CHECK(nums.map([](int x) { return x * x; }).collect() ==
        std::vector<int>{1, 4, 9, 16, 25, 36, 49, 64, 81, 100});
  CHECK(nums.map([](int x) { return std::to_string(x); }).collect() ==
        std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"});
  CHECK(nums.filter([](const int& x) { return x % 3 == 0; }).collect() ==
        std::vector<int>{3, 6, 9});
  CHECK(nums.filter([](const int&) { return false; }).collect().empty());

  auto words = ctx->parallelize(std::vector<std::string>{"a b", "", "c d e"}, 2);
  auto split = words.flatMap([](const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
  });
  CHECK(split.collect() == std::vector<std::string>{"a", "b", "c", "d", "e"});
  // flatMap may emit nothing or several records per input.
  CHECK(nums.flatMap([](int x) { return std::vector<int>(static_cast<size_t>(x % 3), x); })
            .collect() == std::vector<int>{1, 2, 2, 4, 5, 5, 7, 8, 8, 10});
}

TEST_CASE("mapPartitions, mapPartitionsWithIndex and glom", "[rdd]") {
  auto ctx = makeContext();
  auto nums = ctx->parallelize(range(1, 6), 2);  // [1,2] [3,4,5]

  auto sums = nums.mapPartitions([](std::vector<int>&& rows) {
    return std::vector<int64_t>{std::accumulate(rows.begin(), rows.end(), int64_t{0})};
  });
  CHECK(sums.collect() == std::vector<int64_t>{3, 12});

  auto indexed = nums.mapPartitionsWithIndex([](int split, std::vector<int>&& rows) {
    std::vector<IntPair> out;
    for (int x : rows) out.emplace_back(split, x);
    return out;
  });
  CHECK(indexed.collect() == std::vector<IntPair>{{0, 1}, {0, 2}, {1, 3}, {1, 4}, {1, 5}});

  CHECK(nums.glom().collect() == std::vector<std::vector<int>>{{1, 2}, {3, 4, 5}});
  // Empty partitions glom to empty vectors.
  CHECK(ctx->parallelize(std::vector<int>{7}, 3).glom().collect() ==
        std::vector<std::vector<int>>{{}, {}, {7}});
}

TEST_CASE("mapValues, flatMapValues, keys and values", "[rdd]") {
  auto ctx = makeContext();
  auto pairs = ctx->parallelize(std::vector<StrInt>{{"a", 1}, {"b", 2}, {"c", 0}}, 2);
  CHECK(pairs.mapValues([](int v) { return v * 10; }).collect() ==
        std::vector<StrInt>{{"a", 10}, {"b", 20}, {"c", 0}});
  CHECK(pairs.mapValues([](int v) { return std::to_string(v); }).collect() ==
        std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", "2"}, {"c", "0"}});
  CHECK(pairs.flatMapValues([](int v) { return range(0, v); }).collect() ==
        std::vector<StrInt>{{"a", 0}, {"b", 0}, {"b", 1}});
  CHECK(pairs.keys().collect() == std::vector<std::string>{"a", "b", "c"});
  CHECK(pairs.values().collect() == std::vector<int>{1, 2, 0});
}

TEST_CASE("union_ concatenates partitions", "[rdd]") {
  auto ctx = makeContext();
  auto a = ctx->parallelize(std::vector<int>{1, 2, 3}, 2);
  auto b = ctx->parallelize(std::vector<int>{3, 4}, 3);
  auto u = a.union_(b);
  CHECK(u.numPartitions() == 5);
  CHECK(u.collect() == std::vector<int>{1, 2, 3, 3, 4});
  CHECK(u.count() == 5);
  // A union with itself keeps duplicates, as Spark's.
  CHECK(a.union_(a).collect() == std::vector<int>{1, 2, 3, 1, 2, 3});
}

TEST_CASE("distinct", "[rdd]") {
  auto ctx = makeContext();
  auto nums = ctx->parallelize(std::vector<int>{3, 1, 2, 2, 3, 3, 1, 5}, 3);
  auto d = nums.distinct();
  CHECK(d.numPartitions() == 3);
  CHECK(sorted(d.collect()) == std::vector<int>{1, 2, 3, 5});
  auto d4 = nums.distinct(4);
  CHECK(d4.numPartitions() == 4);
  CHECK(sorted(d4.collect()) == std::vector<int>{1, 2, 3, 5});

  auto words = ctx->parallelize(std::vector<std::string>{"x", "y", "x", "", ""}, 2);
  CHECK(sorted(words.distinct().collect()) == std::vector<std::string>{"", "x", "y"});
}

TEST_CASE("repartition shuffles into any number of partitions", "[rdd]") {
  auto ctx = makeContext();
  auto nums = ctx->parallelize(range(0, 100), 2);
  for (int n : {1, 2, 5, 7}) {
    auto r = nums.repartition(n);
    CHECK(r.numPartitions() == n);
    CHECK(r.count() == 100);
    CHECK(sorted(r.collect()) == range(0, 100));
  }
  // As Spark, each parent partition deals its records round-robin over the new ones, so
  // the sizes differ by at most the number of parent partitions.
  for (int n : {3, 5, 8}) {
    INFO("partitions = " << n);
    std::vector<size_t> sizes;
    for (auto& part : nums.repartition(n).glom().collect()) sizes.push_back(part.size());
    REQUIRE(sizes.size() == static_cast<size_t>(n));
    auto [lo, hi] = std::minmax_element(sizes.begin(), sizes.end());
    CHECK(*hi - *lo <= 2);
  }
}

TEST_CASE("coalesce without shuffle merges neighbouring partitions", "[rdd]") {
  auto ctx = makeContext();
  auto nums = ctx->parallelize(range(1, 11), 5);  // [1,2] [3,4] [5,6] [7,8] [9,10]
  auto c = nums.coalesce(2);
  CHECK(c.numPartitions() == 2);
  CHECK(c.collect() == range(1, 11));
  auto parts = c.glom().collect();
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].size() + parts[1].size() == 10);
  // Each new partition is a run of whole parent partitions, in order.
  CHECK(parts[0] == std::vector<int>{1, 2, 3, 4});
  CHECK(parts[1] == std::vector<int>{5, 6, 7, 8, 9, 10});

  CHECK(nums.coalesce(1).glom().collect() == std::vector<std::vector<int>>{range(1, 11)});
  // Without a shuffle, coalesce cannot add partitions (as Spark).
  CHECK(nums.coalesce(10).numPartitions() == 5);
  CHECK(nums.coalesce(10).collect() == range(1, 11));
  // With a shuffle it can.
  auto more = nums.coalesce(8, true);
  CHECK(more.numPartitions() == 8);
  CHECK(sorted(more.collect()) == range(1, 11));
}

// ---- Keyed transformations ----

TEST_CASE("reduceByKey", "[rdd]") {
  auto ctx = makeContext();
  auto pairs = ctx->parallelize(
      std::vector<StrInt>{{"a", 1}, {"b", 2}, {"a", 3}, {"c", 4}, {"b", 5}, {"a", 6}}, 3);
  auto sums = pairs.reduceByKey([](int x, int y) { return x + y; });
  CHECK(sums.numPartitions() == 3);
  CHECK(sorted(sums.collect()) == std::vector<StrInt>{{"a", 10}, {"b", 7}, {"c", 4}});
  auto maxes = pairs.reduceByKey([](int x, int y) { return std::max(x, y); }, 5);
  CHECK(maxes.numPartitions() == 5);
  CHECK(sorted(maxes.collect()) == std::vector<StrInt>{{"a", 6}, {"b", 5}, {"c", 4}});
  // Every key lands in the partition its hash names.
  auto where = sums.mapPartitionsWithIndex([](int split, std::vector<StrInt>&& rows) {
    std::vector<std::pair<std::string, int>> out;
    for (auto& kv : rows) out.emplace_back(kv.first, split);
    return out;
  });
  for (auto& [key, split] : where.collect()) {
    CHECK(split == static_cast<int>(hashKey(key) % 3));
  }
}

TEST_CASE("groupByKey", "[rdd]") {
  auto ctx = makeContext();
  auto pairs = ctx->parallelize(
      std::vector<IntPair>{{1, 10}, {2, 20}, {1, 11}, {3, 30}, {1, 12}, {2, 21}}, 4);
  auto groups = pairs.groupByKey();
  CHECK(groups.numPartitions() == 4);
  auto got = groups
                 .mapValues([](std::vector<int>&& v) {
                   std::sort(v.begin(), v.end());
                   return v;
                 })
                 .collect();
  CHECK(sorted(got) ==
        std::vector<std::pair<int, std::vector<int>>>{{1, {10, 11, 12}}, {2, {20, 21}}, {3, {30}}});
  CHECK(pairs.groupByKey(2).numPartitions() == 2);
}

TEST_CASE("combineByKey computes per-key averages", "[rdd]") {
  auto ctx = makeContext();
  auto scores = ctx->parallelize(
      std::vector<StrInt>{
          {"ann", 90}, {"bob", 70}, {"ann", 80}, {"cat", 100}, {"bob", 75}, {"ann", 70}},
      3);
  using SumCount = std::pair<int, int>;
  auto sum_counts = scores.combineByKey(
      [](int v) { return SumCount(v, 1); },
      [](SumCount c, int v) { return SumCount(c.first + v, c.second + 1); },
      [](SumCount a, SumCount b) { return SumCount(a.first + b.first, a.second + b.second); });
  CHECK(sorted(sum_counts.collect()) ==
        std::vector<std::pair<std::string, SumCount>>{
            {"ann", {240, 3}}, {"bob", {145, 2}}, {"cat", {100, 1}}});
  auto averages =
      sum_counts.mapValues([](SumCount c) { return static_cast<double>(c.first) / c.second; });
  CHECK(sorted(averages.collect()) ==
        std::vector<std::pair<std::string, double>>{{"ann", 80.0}, {"bob", 72.5}, {"cat", 100.0}});
  CHECK(scores
            .combineByKey([](int v) { return v; }, [](int a, int b) { return a + b; },
                          [](int a, int b) { return a + b; }, 7)
            .numPartitions() == 7);
}

struct JoinInputs {
  RDD<std::pair<int, std::string>> left;
  RDD<IntPair> right;
};

JoinInputs joinInputs(Context& ctx) {
  return {ctx.parallelize(
              std::vector<std::pair<int, std::string>>{{1, "a"}, {2, "b"}, {2, "c"}, {3, "d"}}, 2),
          ctx.parallelize(std::vector<IntPair>{{2, 10}, {3, 20}, {3, 30}, {4, 40}}, 3)};
}

TEST_CASE("join", "[rdd]") {
  auto ctx = makeContext();
  auto [left, right] = joinInputs(*ctx);
  auto joined = left.join(right);
  CHECK(joined.numPartitions() == 3);  // the larger side's, as Spark's default partitioner
  using Row = std::pair<int, std::pair<std::string, int>>;
  CHECK(sorted(joined.collect()) ==
        std::vector<Row>{{2, {"b", 10}}, {2, {"c", 10}}, {3, {"d", 20}}, {3, {"d", 30}}});
  CHECK(left.join(right, 5).numPartitions() == 5);
  // Joining with an RDD that shares no key gives nothing.
  auto none = ctx->parallelize(std::vector<IntPair>{{9, 9}}, 1);
  CHECK(left.join(none).collect().empty());
}

TEST_CASE("leftOuterJoin, rightOuterJoin and fullOuterJoin", "[rdd]") {
  auto ctx = makeContext();
  auto [left, right] = joinInputs(*ctx);

  using LeftRow = std::pair<int, std::pair<std::string, std::optional<int>>>;
  CHECK(sorted(left.leftOuterJoin(right).collect()) ==
        std::vector<LeftRow>{{1, {"a", std::nullopt}},
                             {2, {"b", 10}},
                             {2, {"c", 10}},
                             {3, {"d", 20}},
                             {3, {"d", 30}}});

  using RightRow = std::pair<int, std::pair<std::optional<std::string>, int>>;
  CHECK(
      sorted(left.rightOuterJoin(right).collect()) ==
      std::vector<RightRow>{
          {2, {"b", 10}}, {2, {"c", 10}}, {3, {"d", 20}}, {3, {"d", 30}}, {4, {std::nullopt, 40}}});

  using FullRow = std::pair<int, std::pair<std::optional<std::string>, std::optional<int>>>;
  CHECK(sorted(left.fullOuterJoin(right).collect()) ==
        std::vector<FullRow>{{1, {"a", std::nullopt}},
                             {2, {"b", 10}},
                             {2, {"c", 10}},
                             {3, {"d", 20}},
                             {3, {"d", 30}},
                             {4, {std::nullopt, 40}}});
}

TEST_CASE("cogroup", "[rdd]") {
  auto ctx = makeContext();
  auto [left, right] = joinInputs(*ctx);
  using Groups = std::pair<std::vector<std::string>, std::vector<int>>;
  auto grouped = left.cogroup(right).mapValues([](Groups&& g) {
    std::sort(g.first.begin(), g.first.end());
    std::sort(g.second.begin(), g.second.end());
    return g;
  });
  CHECK(sorted(grouped.collect()) ==
        std::vector<std::pair<int, Groups>>{
            {1, {{"a"}, {}}}, {2, {{"b", "c"}, {10}}}, {3, {{"d"}, {20, 30}}}, {4, {{}, {40}}}});
}

TEST_CASE("sortByKey sorts globally across partitions", "[rdd]") {
  auto ctx = makeContext();
  std::vector<IntPair> data;
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) data.emplace_back(static_cast<int>(rng() % 200), i);
  auto pairs = ctx->parallelize(data, 4);

  auto keysOf = [](const std::vector<IntPair>& rows) {
    std::vector<int> keys;
    for (auto& kv : rows) keys.push_back(kv.first);
    return keys;
  };
  std::vector<int> expected_keys = keysOf(data);
  std::sort(expected_keys.begin(), expected_keys.end());

  for (int n : {1, 3, 4, 6}) {
    INFO("partitions = " << n);
    auto asc = pairs.sortByKey(true, n);
    CHECK(asc.numPartitions() <= n);
    auto rows = asc.collect();
    CHECK(keysOf(rows) == expected_keys);
    CHECK(sorted(rows) == sorted(data));

    auto desc = pairs.sortByKey(false, n).collect();
    std::vector<int> reversed(expected_keys.rbegin(), expected_keys.rend());
    CHECK(keysOf(desc) == reversed);
    CHECK(sorted(desc) == sorted(data));
  }
  // Several output partitions are actually used.
  auto parts = pairs.sortByKey(true, 4).glom().collect();
  int non_empty = 0;
  for (auto& p : parts) non_empty += p.empty() ? 0 : 1;
  CHECK(non_empty >= 3);

  auto words =
      ctx->parallelize(std::vector<StrInt>{{"pear", 1}, {"apple", 2}, {"fig", 3}, {"kiwi", 4}}, 2);
  CHECK(words.sortByKey().collect() ==
        std::vector<StrInt>{{"apple", 2}, {"fig", 3}, {"kiwi", 4}, {"pear", 1}});
  CHECK(words.sortByKey(false, 3).collect() ==
        std::vector<StrInt>{{"pear", 1}, {"kiwi", 4}, {"fig", 3}, {"apple", 2}});
  // An empty RDD sorts to nothing.
  CHECK(ctx->parallelize(std::vector<IntPair>{}, 2).sortByKey().collect().empty());
}

TEST_CASE("partitionBy places each key where the partitioner says", "[rdd]") {
  auto ctx = makeContext();
  std::vector<IntPair> data;
  for (int i = 0; i < 50; ++i) data.emplace_back(i, i * 2);
  auto pairs = ctx->parallelize(data, 2);

  auto hash = Partitioner<int>::hash(3);
  auto hashed = pairs.partitionBy(hash);
  CHECK(hashed.numPartitions() == 3);
  auto parts = hashed.glom().collect();
  REQUIRE(parts.size() == 3);
  std::vector<IntPair> all;
  for (int p = 0; p < 3; ++p) {
    for (auto& kv : parts[p]) {
      CHECK(hash.partition(kv.first) == p);
      all.push_back(kv);
    }
  }
  CHECK(sorted(all) == data);

  auto range_p = Partitioner<int>::range({9, 29}, true);
  auto ranged = pairs.partitionBy(range_p).glom().collect();
  REQUIRE(ranged.size() == 3);
  CHECK(sorted(ranged[0]) == std::vector<IntPair>(data.begin(), data.begin() + 10));
  CHECK(sorted(ranged[1]) == std::vector<IntPair>(data.begin() + 10, data.begin() + 30));
  CHECK(sorted(ranged[2]) == std::vector<IntPair>(data.begin() + 30, data.end()));
}

// ---- Actions ----

TEST_CASE("collect, count and countByValue", "[rdd]") {
  auto ctx = makeContext();
  auto words = ctx->parallelize(std::vector<std::string>{"a", "b", "a", "c", "a", "b"}, 4);
  CHECK(words.collect() == std::vector<std::string>{"a", "b", "a", "c", "a", "b"});
  CHECK(words.count() == 6);
  CHECK(words.countByValue() == std::map<std::string, int64_t>{{"a", 3}, {"b", 2}, {"c", 1}});
  // The default number of slices is the default parallelism.
  auto dflt = ctx->parallelize(range(0, 9));
  CHECK(dflt.numPartitions() == ctx->defaultParallelism());
  CHECK(dflt.count() == 9);
}

TEST_CASE("an empty RDD", "[rdd]") {
  auto ctx = makeContext();
  auto empty = ctx->parallelize(std::vector<int>{}, 3);
  CHECK(empty.numPartitions() == 3);
  CHECK(empty.count() == 0);
  CHECK(empty.collect().empty());
  CHECK(empty.countByValue().empty());
  CHECK(empty.take(5).empty());
  CHECK(empty.map([](int x) { return x + 1; }).collect().empty());
  CHECK(empty.map([](int x) { return IntPair(x, x); })
            .reduceByKey([](int a, int b) { return a + b; })
            .collect()
            .empty());
  CHECK_THROWS_AS(empty.first(), JobFailedError);
}

TEST_CASE("reduce", "[rdd]") {
  auto ctx = makeContext();
  CHECK(ctx->parallelize(range(1, 101), 4).reduce([](int a, int b) { return a + b; }) == 5050);
  CHECK(ctx->parallelize(std::vector<int>{4, 9, 2}, 5).reduce([](int a, int b) {
    return std::max(a, b);
  }) == 9);
  // Empty partitions are skipped; a single record is its own reduction.
  CHECK(ctx->parallelize(std::vector<int>{42}, 3).reduce([](int a, int b) { return a + b; }) == 42);
  auto msg = jobFailure(
      [&] { ctx->parallelize(std::vector<int>{}, 2).reduce([](int a, int b) { return a + b; }); });
  CHECK_THAT(msg, Catch::Contains("empty"));
  CHECK_THROWS_AS(ctx->parallelize(range(0, 10), 2)
                      .filter([](const int& x) { return x > 100; })
                      .reduce([](int a, int b) { return a + b; }),
                  JobFailedError);
}

TEST_CASE("take and first", "[rdd]") {
  auto ctx = makeContext();
  auto nums = ctx->parallelize(range(0, 20), 4);  // 5 per partition
  CHECK(nums.take(0).empty());
  CHECK(nums.take(3) == std::vector<int>{0, 1, 2});
  CHECK(nums.take(5) == range(0, 5));
  CHECK(nums.take(7) == range(0, 7));    // crosses into partition 1
  CHECK(nums.take(16) == range(0, 16));  // needs all four
  CHECK(nums.take(20) == range(0, 20));
  CHECK(nums.take(100) == range(0, 20));
  CHECK(nums.first() == 0);

  // Empty leading and interleaved partitions: [] [1] [] [2] [] [3].
  auto sparse = ctx->parallelize(std::vector<int>{1, 2, 3}, 6);
  CHECK(sparse.glom().collect() == std::vector<std::vector<int>>{{}, {1}, {}, {2}, {}, {3}});
  CHECK(sparse.take(1) == std::vector<int>{1});
  CHECK(sparse.take(2) == std::vector<int>{1, 2});
  CHECK(sparse.take(3) == std::vector<int>{1, 2, 3});
  CHECK(sparse.take(10) == std::vector<int>{1, 2, 3});
  CHECK(sparse.first() == 1);

  // Only the last partition has records.
  auto tail = ctx->parallelize(range(0, 40), 8).filter([](const int& x) { return x >= 37; });
  CHECK(tail.take(2) == std::vector<int>{37, 38});
  CHECK(tail.first() == 37);
  CHECK_THROWS_AS(ctx->parallelize(range(0, 4), 2).filter([](const int&) { return false; }).first(),
                  JobFailedError);
}

std::atomic<int64_t> g_foreach_sum{0};
std::atomic<int> g_foreach_calls{0};

TEST_CASE("foreach runs on every record", "[rdd]") {
  auto ctx = makeContext();
  g_foreach_sum = 0;
  g_foreach_calls = 0;
  ctx->parallelize(range(1, 101), 4).foreach ([](const int& x) {
    g_foreach_sum += x;
    ++g_foreach_calls;
  });
  CHECK(g_foreach_calls == 100);
  CHECK(g_foreach_sum == 5050);
}

TEST_CASE("saveAsTextFile writes one part file per partition", "[rdd]") {
  auto ctx = makeContext();
  TempDir tmp;
  fs::path out = tmp.path() / "out";
  auto pairs = ctx->parallelize(std::vector<StrInt>{{"a", 1}, {"b", 2}, {"c", 3}}, 2);
  pairs.saveAsTextFile(out.string());

  CHECK(fs::exists(out / "_SUCCESS"));
  CHECK_FALSE(fs::exists(out / "_temporary"));
  CHECK(readFile(out / "part-00000") == "(a,1)\n");
  CHECK(readFile(out / "part-00001") == "(b,2)\n(c,3)\n");
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
  CHECK(sorted(names) == std::vector<std::string>{"_SUCCESS", "part-00000", "part-00001"});

  // Reading the output back gives the same lines (hidden and _ files are skipped).
  CHECK(ctx->textFile(out.string()).collect() ==
        std::vector<std::string>{"(a,1)", "(b,2)", "(c,3)"});

  // Saving again to the same place fails and leaves the first output alone.
  auto msg = jobFailure([&] { pairs.saveAsTextFile(out.string()); });
  CHECK_THAT(msg, Catch::Contains("already exists"));
  CHECK(readFile(out / "part-00001") == "(b,2)\n(c,3)\n");

  // Empty partitions still write (empty) part files; other record types use toText.
  fs::path out2 = tmp.path() / "out2";
  ctx->parallelize(std::vector<double>{1.5, 2.0}, 3).saveAsTextFile(out2.string());
  CHECK(readFile(out2 / "part-00000").empty());
  CHECK(readFile(out2 / "part-00001") == "1.5\n");
  CHECK(readFile(out2 / "part-00002") == "2\n");
  CHECK(fs::exists(out2 / "_SUCCESS"));
}

TEST_CASE("textFile reads lines of a file in several partitions", "[rdd]") {
  auto ctx = makeContext();
  TempDir tmp;
  std::vector<std::string> lines;
  std::string content;
  for (int i = 0; i < 300; ++i) {
    lines.push_back(std::string(static_cast<size_t>(i % 17), 'x') + std::to_string(i));
    content += lines.back() + (i % 2 ? "\r\n" : "\n");
  }
  fs::path file = tmp.path() / "input.txt";
  std::ofstream(file, std::ios::binary) << content;
  auto rdd = ctx->textFile(file.string(), 5);
  CHECK(rdd.numPartitions() >= 5);
  CHECK(rdd.collect() == lines);
  CHECK(rdd.count() == 300);
  CHECK_THROWS_AS(ctx->textFile((tmp.path() / "missing").string()), JobFailedError);
}

// ---- Caching, broadcasts, failures ----

std::atomic<int> g_computed{0};

TEST_CASE("cache computes each record once across actions", "[rdd]") {
  auto ctx = makeContext();
  constexpr int kN = 1000;
  auto nums = ctx->parallelize(range(0, kN), 4);

  g_computed = 0;
  auto uncached = nums.map([](int x) {
    ++g_computed;
    return x * 2;
  });
  CHECK(uncached.count() == kN);
  CHECK(uncached.collect().size() == static_cast<size_t>(kN));
  CHECK(g_computed == 2 * kN);

  g_computed = 0;
  auto cached = nums.map([](int x) {
    ++g_computed;
    return x * 3;
  });
  cached.cache();
  CHECK(cached.count() == kN);
  CHECK(g_computed == kN);
  auto rows = cached.collect();
  CHECK(g_computed == kN);
  REQUIRE(rows.size() == static_cast<size_t>(kN));
  for (int i = 0; i < kN; ++i) REQUIRE(rows[static_cast<size_t>(i)] == 3 * i);
  // A child of the cached RDD reads the cache too.
  CHECK(cached.filter([](const int& x) { return x % 2 == 0; }).count() == kN / 2);
  CHECK(g_computed == kN);
}

TEST_CASE("broadcast values captured in lambdas", "[rdd]") {
  auto ctx = makeContext();
  auto prefix = ctx->broadcast(std::string("item-"));
  auto table = ctx->broadcast(std::map<std::string, int>{{"one", 1}, {"two", 2}, {"three", 3}});

  auto nums = ctx->parallelize(std::vector<int>{1, 2, 3}, 2);
  CHECK(nums.map([prefix](int x) { return prefix.value() + std::to_string(x); }).collect() ==
        std::vector<std::string>{"item-1", "item-2", "item-3"});

  auto words = ctx->parallelize(std::vector<std::string>{"two", "three", "four", "one"}, 3);
  auto looked_up = words.map([table](const std::string& w) {
    auto it = table.value().find(w);
    return it == table.value().end() ? -1 : it->second;
  });
  CHECK(looked_up.collect() == std::vector<int>{2, 3, -1, 1});
  // Two broadcasts in one lambda.
  auto both = words.filter([table](const std::string& w) { return table.value().count(w) > 0; })
                  .map([table, prefix](const std::string& w) {
                    return prefix.value() + std::to_string(table.value().at(w));
                  });
  CHECK(both.collect() == std::vector<std::string>{"item-2", "item-3", "item-1"});
}

TEST_CASE("a task that always fails fails the job after task.maxFailures attempts", "[rdd]") {
  auto throwing = [](int x) {
    if (x == 3) throw std::runtime_error("boom");
    return x;
  };
  SECTION("default: 4 attempts") {
    auto ctx = makeContext();
    auto nums = ctx->parallelize(std::vector<int>{1, 2, 3, 4}, 2);  // 3 is in partition 1
    auto msg = jobFailure([&] { nums.map(throwing).collect(); });
    CHECK_THAT(msg, Catch::Contains("boom"));
    CHECK_THAT(msg, Catch::Contains("Task 1 in stage"));
    CHECK_THAT(msg, Catch::Contains("failed 4 times"));
    // The context stays usable after a failed job.
    CHECK(nums.map([](int x) { return x + 1; }).collect() == std::vector<int>{2, 3, 4, 5});
  }
  SECTION("task.maxFailures=2") {
    Conf conf;
    conf.set("task.maxFailures", "2");
    auto ctx = makeContext(conf);
    auto nums = ctx->parallelize(std::vector<int>{1, 2, 3, 4}, 2);
    auto msg = jobFailure([&] { nums.map(throwing).count(); });
    CHECK_THAT(msg, Catch::Contains("boom"));
    CHECK_THAT(msg, Catch::Contains("Task 1 in stage"));
    CHECK_THAT(msg, Catch::Contains("failed 2 times"));
  }
  SECTION("a failing map side of a shuffle") {
    auto ctx = makeContext();
    auto pairs =
        ctx->parallelize(std::vector<IntPair>{{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}}, 3);
    auto msg = jobFailure([&] {
      pairs
          .mapValues([](int v) {
            if (v == 1) throw std::runtime_error("boom in map stage");
            return v;
          })
          .reduceByKey([](int a, int b) { return a + b; })
          .collect();
    });
    CHECK_THAT(msg, Catch::Contains("boom in map stage"));
    CHECK_THAT(msg, Catch::Contains("Task 0 in stage"));
  }
}

std::atomic<bool> g_thrown_once{false};
std::atomic<int> g_transient_failures{0};

TEST_CASE("a task that fails once succeeds on retry", "[rdd]") {
  auto ctx = makeContext();
  g_thrown_once = false;
  g_transient_failures = 0;
  auto nums = ctx->parallelize(range(0, 10), 2);
  auto flaky = nums.map([](int x) {
    if (x == 7 && !g_thrown_once.exchange(true)) {
      ++g_transient_failures;
      throw std::runtime_error("transient");
    }
    return x * 10;
  });
  std::vector<int> expected;
  for (int i = 0; i < 10; ++i) expected.push_back(i * 10);
  CHECK(flaky.collect() == expected);
  CHECK(g_transient_failures == 1);

  // The same in a shuffle's map stage.
  g_thrown_once = false;
  auto sums = nums.map([](int x) {
                    if (x == 2 && !g_thrown_once.exchange(true))
                      throw std::runtime_error("transient");
                    return IntPair(x % 2, x);
                  })
                  .reduceByKey([](int a, int b) { return a + b; });
  CHECK(sorted(sums.collect()) == std::vector<IntPair>{{0, 20}, {1, 25}});
  CHECK(g_thrown_once);
}

std::atomic<int> g_map_side_calls{0};

TEST_CASE("a shuffle is reused by later actions", "[rdd]") {
  auto ctx = makeContext();
  g_map_side_calls = 0;
  auto words = ctx->parallelize(std::vector<std::string>{"x", "y", "x", "z", "x", "y"}, 3);
  auto counts = words
                    .map([](const std::string& w) {
                      ++g_map_side_calls;
                      return StrInt(w, 1);
                    })
                    .reduceByKey([](int a, int b) { return a + b; }, 2);
  std::vector<StrInt> expected{{"x", 3}, {"y", 2}, {"z", 1}};
  CHECK(sorted(counts.collect()) == expected);
  CHECK(g_map_side_calls == 6);
  CHECK(sorted(counts.collect()) == expected);
  CHECK(counts.count() == 3);
  // A new RDD downstream of the same shuffle reuses it too.
  CHECK(sorted(counts.mapValues([](int n) { return n * 100; }).collect()) ==
        std::vector<StrInt>{{"x", 300}, {"y", 200}, {"z", 100}});
  // As Spark, the map stage's output is still available: it is not recomputed.
  CHECK(g_map_side_calls == 6);
}

TEST_CASE("200k records through reduceByKey with 8 partitions", "[rdd]") {
  auto ctx = makeContext();
  constexpr int kRecords = 200000;
  constexpr int kKeys = 1000;
  std::vector<std::pair<int, int64_t>> data;
  data.reserve(kRecords);
  for (int i = 0; i < kRecords; ++i) data.emplace_back(i % kKeys, i);
  auto sums = ctx->parallelize(std::move(data), 8)
                  .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 8);
  CHECK(sums.numPartitions() == 8);
  auto got = sorted(sums.collect());
  REQUIRE(got.size() == static_cast<size_t>(kKeys));
  constexpr int64_t kPerKey = kRecords / kKeys;  // 200 records per key
  for (int k = 0; k < kKeys; ++k) {
    // sum over j < 200 of (k + 1000 j)
    int64_t expected = kPerKey * k + int64_t{kKeys} * (kPerKey - 1) * kPerKey / 2;
    REQUIRE(got[static_cast<size_t>(k)] == std::pair<int, int64_t>(k, expected));
  }
  CHECK(ctx->parallelize(range(0, kRecords), 8)
            .map([](int x) { return IntPair(x % 7, 1); })
            .reduceByKey([](int a, int b) { return a + b; }, 8)
            .values()
            .reduce([](int a, int b) { return a + b; }) == kRecords);
}

}  // namespace
}  // namespace sluice
