// Partitioners and the deterministic key hash. hashKey() gives the same value for the same
// key in every process on every machine (it never uses std::hash or addresses), so map
// tasks anywhere agree on which reduce partition a key belongs to.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <xxhash.h>

#include "common/serialize.h"

namespace sluice {

inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t combineHash(uint64_t a, uint64_t b) { return mix64(a * 31 + b); }

template <class K>
uint64_t hashKey(const K& key);

namespace detail {
template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};
template <class T>
struct IsVector : std::false_type {};
template <class A>
struct IsVector<std::vector<A>> : std::true_type {};
}  // namespace detail

template <class K>
uint64_t hashKey(const K& key) {
  if constexpr (std::is_integral_v<K> || std::is_enum_v<K>) {
    return mix64(static_cast<uint64_t>(key));
  } else if constexpr (std::is_floating_point_v<K>) {
    double d = key == 0 ? 0.0 : static_cast<double>(key);  // -0.0 == 0.0
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    return mix64(bits);
  } else if constexpr (std::is_convertible_v<const K&, std::string_view>) {
    std::string_view s(key);
    return XXH3_64bits(s.data(), s.size());
  } else if constexpr (detail::IsPair<K>::value) {
    return combineHash(hashKey(key.first), hashKey(key.second));
  } else if constexpr (detail::IsVector<K>::value) {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (const auto& x : key) h = combineHash(h, hashKey(x));
    return h;
  } else {
    // Any other Cereal-serializable key: hash its encoding.
    std::string bytes = toBytes(key);
    return XXH3_64bits(bytes.data(), bytes.size());
  }
}

// For hash maps keyed by K inside tasks.
template <class K>
struct KeyHash {
  size_t operator()(const K& k) const { return static_cast<size_t>(hashKey(k)); }
};

// Where a key goes: by hash (reduceByKey, groupByKey, join) or by range (sortByKey).
// A value type so that it travels inside the shuffle dependency.
template <class K>
struct Partitioner {
  enum class Kind : uint8_t { kHash = 0, kRange = 1 };
  Kind kind = Kind::kHash;
  int num_partitions = 1;
  std::vector<K> bounds;  // kRange: upper bounds of partitions 0..n-2, sorted ascending
  bool ascending = true;

  static Partitioner hash(int n) { return {Kind::kHash, std::max(1, n), {}, true}; }
  static Partitioner range(std::vector<K> bounds, bool ascending) {
    int n = static_cast<int>(bounds.size()) + 1;
    return {Kind::kRange, n, std::move(bounds), ascending};
  }

  int partition(const K& key) const {
    if (kind == Kind::kHash || num_partitions == 1) {
      return static_cast<int>(hashKey(key) % static_cast<uint64_t>(num_partitions));
    }
    if constexpr (std::totally_ordered<K>) {
      int p = static_cast<int>(std::lower_bound(bounds.begin(), bounds.end(), key) - bounds.begin());
      return ascending ? p : num_partitions - 1 - p;
    } else {
      return 0;
    }
  }

  bool operator==(const Partitioner& o) const {
    return kind == o.kind && num_partitions == o.num_partitions && bounds == o.bounds &&
           ascending == o.ascending;
  }

  template <class Archive>
  void serialize(Archive& ar) {
    ar(kind, num_partitions, bounds, ascending);
  }
};

}  // namespace sluice
