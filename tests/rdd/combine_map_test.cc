// The combine map's string hash and equality (rdd/combine_map.h) and sluice::split
// (rdd/split.h): exact on every length, and word count through split in local[2] equal to
// a count made here.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "driver/context.h"
#include "rdd/combine_map.h"
#include "rdd/split.h"

namespace sluice {
namespace {

std::vector<std::string> pieces(const std::string& line) {
  std::vector<std::string> out;
  for (auto&& p : split(line, ' ')) out.push_back(p);
  return out;
}

TEST_CASE("combine map: string equality is exact for every length and every differing byte", "[rdd]") {
  CombineStringEq eq;
  CombineStringHash hash;
  for (size_t n = 0; n <= 40; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + (i * 7) % 26);
    std::string same = a;
    CHECK(eq(a, same));
    CHECK(hash(a) == hash(same));
    for (size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] = static_cast<char>(b[i] ^ 1);
      INFO("length " << n << ", byte " << i);
      CHECK_FALSE(eq(a, b));
    }
    CHECK_FALSE(eq(a, a + "y"));
  }
}

TEST_CASE("combine map: short string hashes spread over a table's slots", "[rdd]") {
  // 10,000 words w0..w9999 (the benchmark's vocabulary): no two share a hash, and both
  // halves of the hash vary (abseil takes the slot from the high bits, the tag from the low).
  CombineStringHash hash;
  std::map<size_t, int> seen;
  std::map<size_t, int> low7;
  for (int i = 0; i < 10000; ++i) {
    size_t h = hash("w" + std::to_string(i));
    seen[h]++;
    low7[h & 0x7f]++;
  }
  CHECK(seen.size() == 10000);
  CHECK(low7.size() == 128);
}

TEST_CASE("split: the non-empty pieces between separators", "[rdd]") {
  CHECK(pieces("") == std::vector<std::string>{});
  CHECK(pieces("   ") == std::vector<std::string>{});
  CHECK(pieces("a") == std::vector<std::string>{"a"});
  CHECK(pieces(" to be  or not to be ") == std::vector<std::string>{"to", "be", "or", "not", "to", "be"});
  std::string long_word(100, 'z');
  CHECK(pieces(long_word + " b") == std::vector<std::string>{long_word, "b"});
  std::vector<std::string> commas;
  for (auto&& p : split(std::string_view(",a,,b,"), ',')) commas.push_back(p);
  CHECK(commas == std::vector<std::string>{"a", "b"});
}

TEST_CASE("split: word count through flatMap(split) and reduceByKey equals a count made here", "[rdd]") {
  std::mt19937 rng(7);
  std::vector<std::string> lines;
  std::map<std::string, int64_t> expected;
  for (int i = 0; i < 2000; ++i) {
    std::string line;
    int words = static_cast<int>(rng() % 13);
    for (int w = 0; w < words; ++w) {
      // Lengths 1 to 30: inline hashed and compared up to 16, by XXH3 and memcmp above.
      std::string word(1 + rng() % 30, static_cast<char>('a' + rng() % 3));
      word[0] = static_cast<char>('a' + rng() % 26);
      expected[word]++;
      line += std::string(1 + rng() % 3, ' ') + word;  // one to three separators before each
    }
    lines.push_back(line);
  }
  auto ctx = Context::create({"local[2]", "test", "", Conf{}});
  REQUIRE(ctx);
  auto counts = (*ctx)->parallelize(lines, 4)
                    .flatMap([](const std::string& line) { return split(line, ' '); })
                    .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 3)
                    .collect();
  std::map<std::string, int64_t> got(counts.begin(), counts.end());
  CHECK(got.size() == counts.size());
  CHECK(got == expected);
}

}  // namespace
}  // namespace sluice
