#include "rdd/partitioner.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {
namespace {

// The expected values were computed once, outside Sluice, from the documented definitions
// (mix64 for integers, XXH3_64bits for strings, combineHash for pairs and vectors). Map
// tasks on different machines must agree on a key's reduce partition, so any change to
// these values is a wire-compatibility break and must fail here.
TEST_CASE("hashKey of integers is a fixed function of the value", "[rdd]") {
  CHECK(hashKey(0) == 0ULL);
  CHECK(hashKey(1) == 12994781566227106604ULL);
  CHECK(hashKey(42) == 9297814886316923340ULL);
  CHECK(hashKey(-1) == 7256831767414464289ULL);
  CHECK(hashKey(int64_t{1000000007}) == 5351220738653491524ULL);
  // The integer type does not matter, only the value.
  CHECK(hashKey(int64_t{42}) == hashKey(42));
  CHECK(hashKey(uint16_t{42}) == hashKey(42));
  CHECK(hashKey(int64_t{-1}) == hashKey(-1));
}

TEST_CASE("hashKey of strings is XXH3 of the bytes", "[rdd]") {
  CHECK(hashKey(std::string()) == 3244421341483603138ULL);
  CHECK(hashKey(std::string("a")) == 16629034431890738719ULL);
  CHECK(hashKey(std::string("hello")) == 10760762337991515389ULL);
  CHECK(hashKey(std::string("sluice")) == 9084615177324226845ULL);
  // Every string-like type hashes the same characters the same way.
  CHECK(hashKey(std::string_view("hello")) == hashKey(std::string("hello")));
  CHECK(hashKey("hello") == hashKey(std::string("hello")));
}

TEST_CASE("hashKey of floating point, pairs and vectors", "[rdd]") {
  CHECK(hashKey(1.5) == 9826234843501278960ULL);
  CHECK(hashKey(-0.0) == hashKey(0.0));
  CHECK(hashKey(1.5f) == hashKey(1.5));

  CHECK(hashKey(std::pair<int, std::string>(1, "a")) == 17428920555341912680ULL);
  CHECK(hashKey(std::pair<int, std::string>(1, "a")) ==
        combineHash(hashKey(1), hashKey(std::string("a"))));
  // Order matters in a pair.
  CHECK(hashKey(std::pair<int, int>(1, 2)) != hashKey(std::pair<int, int>(2, 1)));

  CHECK(hashKey(std::vector<int>{1, 2, 3}) == 14685688435449467508ULL);
  CHECK(hashKey(std::vector<int>{}) == 11400714819323198485ULL);
  CHECK(hashKey(std::vector<int>{1, 2, 3}) != hashKey(std::vector<int>{3, 2, 1}));
  CHECK(hashKey(std::vector<int>{1, 2}) != hashKey(std::vector<int>{1, 2, 0}));
  // Nested keys combine recursively.
  std::vector<std::pair<std::string, int>> nested{{"x", 1}, {"y", 2}};
  CHECK(hashKey(nested) == hashKey(nested));
  CHECK(hashKey(nested) != hashKey(std::vector<std::pair<std::string, int>>{{"y", 2}, {"x", 1}}));
}

TEST_CASE("hashKey is deterministic across calls", "[rdd]") {
  for (int i = -1000; i < 1000; ++i) REQUIRE(hashKey(i) == hashKey(i));
  std::set<uint64_t> distinct;
  for (int i = 0; i < 1000; ++i) distinct.insert(hashKey(std::to_string(i)));
  CHECK(distinct.size() == 1000);
}

TEST_CASE("hash partitioner puts every key in 0 to n-1", "[rdd]") {
  for (int n : {1, 2, 3, 7, 8, 100}) {
    auto p = Partitioner<int>::hash(n);
    CHECK(p.num_partitions == n);
    std::set<int> used;
    for (int k = -5000; k < 5000; ++k) {
      int part = p.partition(k);
      REQUIRE(part >= 0);
      REQUIRE(part < n);
      REQUIRE(part == static_cast<int>(hashKey(k) % static_cast<uint64_t>(n)));
      used.insert(part);
    }
    // 10,000 keys spread over every partition.
    CHECK(static_cast<int>(used.size()) == n);
  }
  auto ps = Partitioner<std::string>::hash(5);
  for (int i = 0; i < 1000; ++i) {
    int part = ps.partition("key" + std::to_string(i));
    REQUIRE(part >= 0);
    REQUIRE(part < 5);
  }
  // Pairs and vectors as keys.
  auto pp = Partitioner<std::pair<std::string, int>>::hash(4);
  auto pv = Partitioner<std::vector<int>>::hash(4);
  for (int i = 0; i < 200; ++i) {
    int a = pp.partition({"k", i});
    int b = pv.partition({i, i + 1});
    REQUIRE(a >= 0);
    REQUIRE(a < 4);
    REQUIRE(b >= 0);
    REQUIRE(b < 4);
    REQUIRE(a == pp.partition({"k", i}));
  }
}

TEST_CASE("hash partitioner clamps a non-positive count to one partition", "[rdd]") {
  auto p = Partitioner<int>::hash(0);
  CHECK(p.num_partitions == 1);
  CHECK(p.partition(12345) == 0);
  CHECK(Partitioner<int>::hash(-3).num_partitions == 1);
}

TEST_CASE("range partitioner, ascending", "[rdd]") {
  // Bounds are inclusive upper bounds: (-inf,10] [11,20] [21,30] (30,inf).
  auto p = Partitioner<int>::range({10, 20, 30}, true);
  CHECK(p.num_partitions == 4);
  CHECK(p.partition(-100) == 0);
  CHECK(p.partition(10) == 0);
  CHECK(p.partition(11) == 1);
  CHECK(p.partition(20) == 1);
  CHECK(p.partition(25) == 2);
  CHECK(p.partition(30) == 2);
  CHECK(p.partition(31) == 3);
  CHECK(p.partition(1000) == 3);
  // Monotone: a larger key never goes to an earlier partition.
  int last = 0;
  for (int k = -50; k < 50; ++k) {
    int part = p.partition(k);
    REQUIRE(part >= last);
    last = part;
  }

  auto s = Partitioner<std::string>::range({"m"}, true);
  CHECK(s.partition("apple") == 0);
  CHECK(s.partition("m") == 0);
  CHECK(s.partition("zebra") == 1);
}

TEST_CASE("range partitioner, descending", "[rdd]") {
  auto p = Partitioner<int>::range({10, 20, 30}, false);
  CHECK(p.num_partitions == 4);
  CHECK(p.partition(1000) == 0);
  CHECK(p.partition(31) == 0);
  CHECK(p.partition(30) == 1);
  CHECK(p.partition(21) == 1);
  CHECK(p.partition(20) == 2);
  CHECK(p.partition(10) == 3);
  CHECK(p.partition(-100) == 3);
  int last = p.num_partitions - 1;
  for (int k = -50; k < 50; ++k) {
    int part = p.partition(k);
    REQUIRE(part <= last);
    last = part;
  }
}

TEST_CASE("range partitioner without bounds has one partition", "[rdd]") {
  auto p = Partitioner<int>::range({}, true);
  CHECK(p.num_partitions == 1);
  CHECK(p.partition(-7) == 0);
  CHECK(p.partition(7) == 0);
  CHECK(Partitioner<int>::range({}, false).partition(7) == 0);
}

TEST_CASE("partitioners compare and round-trip through serialization", "[rdd]") {
  auto a = Partitioner<std::string>::range({"b", "d"}, false);
  CHECK(a == Partitioner<std::string>::range({"b", "d"}, false));
  CHECK_FALSE(a == Partitioner<std::string>::range({"b", "d"}, true));
  CHECK_FALSE(a == Partitioner<std::string>::hash(3));
  CHECK(Partitioner<int>::hash(3) == Partitioner<int>::hash(3));
  CHECK_FALSE(Partitioner<int>::hash(3) == Partitioner<int>::hash(4));

  std::string bytes = toBytes(a);
  Partitioner<std::string> back;
  REQUIRE(fromBytes(bytes, back));
  CHECK(back == a);
  CHECK(back.partition("a") == a.partition("a"));
  CHECK(back.partition("z") == a.partition("z"));
}

}  // namespace
}  // namespace sluice
