// YSB's identifiers (campaigns, ads, users, pages, windows) are UUIDs in their canonical
// text form, 8-4-4-4-12 lowercase hex digits. Inside the pipeline a UUID is its 128 bits,
// high half first: a std::pair of integers, so that it hashes, compares and serializes
// with Sluice's generic key code (rdd/partitioner.h) and allocates nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sluice::ysb {

using Uuid = std::pair<uint64_t, uint64_t>;

inline constexpr size_t kUuidChars = 36;

// The UUID in text (36 characters, hex digits in either case), or nullopt when text is not one.
std::optional<Uuid> parseUuid(std::string_view text);
// The canonical text: 36 characters, lowercase.
std::string formatUuid(const Uuid& id);
// A version-4-shaped UUID that depends only on (seed, kind, index): the same in every
// process, so that a generator, the seeding tool and a checker agree on every id.
Uuid derivedUuid(uint64_t seed, uint64_t kind, uint64_t index);
// splitmix64's finalizer: a cheap, well-mixed 64-bit hash.
uint64_t mixBits(uint64_t x);

}  // namespace sluice::ysb
