// CombineMap: the hash map in which a shuffle merges records by key (the map side's
// combine and the reduce side's merge), and the hash and equality of its keys.
//
// Every record of a keyed shuffle passes through CombineMap::addValue, so it is the hot
// path of word count: an open-addressing table (abseil's flat_hash_map) whose string keys
// are hashed and compared inline, without a call per record. (A node-based
// std::unordered_map hashed with XXH3 spent 42% of word count's time in find.)
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>

#include "rdd/partitioner.h"

namespace sluice {

namespace detail {

[[gnu::always_inline]] inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
[[gnu::always_inline]] inline uint32_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A string of at most 16 bytes as two words that together hold every byte (the loads
// overlap when it is shorter): equal strings of one length give equal words, and unequal
// ones unequal words.
[[gnu::always_inline]] inline std::pair<uint64_t, uint64_t> shortStringWords(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  if (n >= 8) return {load64(p), load64(p + n - 8)};
  if (n >= 4) return {load32(p), load32(p + n - 4)};
  if (n > 0) {
    auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<unsigned char>(p[i])); };
    return {(byte(0) << 16) | (byte(n >> 1) << 8) | byte(n - 1), 0};
  }
  return {0, 0};
}

// The 128-bit product of a and b, its halves folded together.
inline uint64_t foldedMultiply(uint64_t a, uint64_t b) {
  unsigned __int128 m = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
}

}  // namespace detail

// The hash of string keys within one task: short strings (most keys: words, ids) inline in
// a few instructions, longer ones by XXH3. Not the partitioning hash (hashKey), which must
// agree across processes; this one only has to spread keys over a table's slots.
struct CombineStringHash {
  using is_transparent = void;  // looks up by std::string_view without building a string
  [[gnu::always_inline]] size_t operator()(std::string_view s) const {
    if (s.size() > 16) return static_cast<size_t>(XXH3_64bits(s.data(), s.size()));
    auto [a, b] = detail::shortStringWords(s);
    return static_cast<size_t>(
        detail::foldedMultiply(a ^ 0x9e3779b97f4a7c15ULL, b ^ 0xc2b2ae3d27d4eb4fULL ^ s.size()));
  }
};

struct CombineStringEq {
  using is_transparent = void;
  [[gnu::always_inline]] bool operator()(std::string_view x, std::string_view y) const {
    if (x.size() != y.size()) return false;
    if (x.size() > 16) return std::memcmp(x.data(), y.data(), x.size()) == 0;
    return detail::shortStringWords(x) == detail::shortStringWords(y);
  }
};

// The hash and equality of a combine map's keys. Strings as above, numbers by abseil's
// inlined hash; other keys (pairs, vectors, user types) by hashKey, the hash that places
// them in partitions, which knows them all, and their own ==.
template <class K>
struct CombineKeyTraits {
  using Hash = std::conditional_t<std::is_arithmetic_v<K>, absl::Hash<K>, KeyHash<K>>;
  using Eq = std::equal_to<K>;
};
template <>
struct CombineKeyTraits<std::string> {
  using Hash = CombineStringHash;
  using Eq = CombineStringEq;
};

// Merges (K, V) or (K, C) records into a hash map of combiners.
template <class K, class V, class Agg>
class CombineMap {
 public:
  using C = typename Agg::Combiner;
  using Map = absl::flat_hash_map<K, C, typename CombineKeyTraits<K>::Hash, typename CombineKeyTraits<K>::Eq>;
  explicit CombineMap(const Agg& agg) : agg_(agg) {}

  void addValue(K&& key, V&& value) {
    auto it = map_.find(key);
    if (it == map_.end()) {
      map_.emplace(std::move(key), agg_.create(std::move(value)));
    } else {
      agg_.merge_value(it->second, std::move(value));
    }
  }
  void addCombiner(K&& key, C&& c) {
    auto it = map_.find(key);
    if (it == map_.end()) {
      map_.emplace(std::move(key), std::move(c));
    } else {
      agg_.merge_combiners(it->second, std::move(c));
    }
  }
  Map& entries() { return map_; }

 private:
  Agg agg_;
  Map map_;
};

}  // namespace sluice
