#include "bench/ysb/uuid.h"

#include <array>

namespace sluice::ysb {
namespace {

// Hex digit values, 0xff for anything else.
constexpr std::array<uint8_t, 256> kHexValue = [] {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<uint8_t>(c);
  for (int c = 0; c < 6; ++c) {
    t['a' + c] = static_cast<uint8_t>(10 + c);
    t['A' + c] = static_cast<uint8_t>(10 + c);
  }
  return t;
}();

constexpr bool isDashAt(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

// Appends n hex digits at p to *acc; false when one is not a hex digit. Kept in registers:
// a loop that shifted an array element in memory per digit cost 5x more.
inline bool appendHex(const char* p, int n, uint64_t* acc) {
  uint64_t v = *acc;
  uint8_t bad = 0;
  for (int i = 0; i < n; ++i) {
    uint8_t d = kHexValue[static_cast<unsigned char>(p[i])];
    bad |= d;
    v = (v << 4) | (d & 0xf);
  }
  *acc = v;
  return (bad & 0xf0) == 0;
}

}  // namespace

std::optional<Uuid> parseUuid(std::string_view text) {
  if (text.size() != kUuidChars) return std::nullopt;
  const char* p = text.data();
  if (p[8] != '-' || p[13] != '-' || p[18] != '-' || p[23] != '-') return std::nullopt;
  uint64_t hi = 0, lo = 0;
  bool ok = appendHex(p, 8, &hi) & appendHex(p + 9, 4, &hi) & appendHex(p + 14, 4, &hi) &
            appendHex(p + 19, 4, &lo) & appendHex(p + 24, 12, &lo);
  if (!ok) return std::nullopt;
  return Uuid{hi, lo};
}

std::string formatUuid(const Uuid& id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kUuidChars, '-');
  int digit = 0;
  for (size_t i = 0; i < kUuidChars; ++i) {
    if (isDashAt(i)) continue;
    uint64_t h = digit < 16 ? id.first : id.second;
    int shift = 60 - 4 * (digit % 16);
    out[i] = kDigits[(h >> shift) & 0xf];
    ++digit;
  }
  return out;
}

uint64_t mixBits(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Uuid derivedUuid(uint64_t seed, uint64_t kind, uint64_t index) {
  uint64_t a = mixBits(mixBits(seed) ^ mixBits(kind * 0x100000001b3ULL + index));
  uint64_t b = mixBits(a ^ 0x5851f42d4c957f2dULL);
  a = (a & ~0xf000ULL) | 0x4000ULL;                   // version 4
  b = (b & ~(0x3ULL << 62)) | (0x2ULL << 62);         // variant 10
  return Uuid{a, b};
}

}  // namespace sluice::ysb
