// Batch times and durations, in milliseconds (Spark Streaming's Time and Duration).
#pragma once

#include <cstdint>
#include <string>

namespace sluice {

struct Duration {
  int64_t ms = 0;
  constexpr bool operator==(const Duration& o) const { return ms == o.ms; }
  constexpr auto operator<=>(const Duration& o) const { return ms <=> o.ms; }
  constexpr Duration operator*(int64_t k) const { return {ms * k}; }
  constexpr Duration operator+(Duration o) const { return {ms + o.ms}; }
  constexpr bool isMultipleOf(Duration o) const { return o.ms > 0 && ms % o.ms == 0; }
  std::string toString() const { return std::to_string(ms) + " ms"; }
};

constexpr Duration Milliseconds(int64_t ms) { return {ms}; }
constexpr Duration Seconds(int64_t s) { return {s * 1000}; }
constexpr Duration Minutes(int64_t m) { return {m * 60000}; }

// A batch time: milliseconds since the epoch of the streaming clock.
using Time = int64_t;

}  // namespace sluice
