// How user functions travel to executors (DESIGN.md "Applications").
//
// A user lambda is identified by its closure type: every RDD node type is a template over
// the lambdas it holds, and the node type registers itself under its typeid name when the
// application library loads (rdd/node.h). The lambda's captured values travel as raw bytes,
// which is only sound for trivially copyable closures; anything else must go through a
// Broadcast<T>. A function pointer is refused because its address differs per process.
#pragma once

#include <array>
#include <bit>
#include <cstring>
#include <type_traits>

#include <cereal/archives/binary.hpp>

#include "common/bounded_input_archive.h"

namespace sluice {

template <class F>
constexpr void checkShippable() {
  static_assert(!std::is_pointer_v<std::decay_t<F>>,
                "Sluice cannot ship a function pointer to executors (its address differs in "
                "every process): wrap the call in a lambda, e.g. [](auto x) { return f(x); }");
  static_assert(std::is_trivially_copyable_v<std::decay_t<F>>,
                "Sluice cannot ship this lambda to executors: its captures are not trivially "
                "copyable. Capture only plain values (numbers, enums, POD structs, "
                "Broadcast<T> handles); pass strings, containers and other objects through "
                "ctx.broadcast(value) and capture the Broadcast handle.");
}

// Writes the closure's bytes.
template <class F>
void saveFunction(cereal::BinaryOutputArchive& ar, const F& f) {
  std::array<char, sizeof(F)> bytes;
  std::memcpy(bytes.data(), &f, sizeof(F));
  ar(cereal::binary_data(bytes.data(), sizeof(F)));
}

// Rebuilds a closure written by saveFunction() in the same application library.
template <class F>
F loadFunction(BoundedInputArchive& ar) {
  std::array<char, sizeof(F)> bytes;
  ar(cereal::binary_data(bytes.data(), sizeof(F)));
  return std::bit_cast<F>(bytes);
}

}  // namespace sluice
