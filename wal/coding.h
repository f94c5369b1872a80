// Little-endian fixed-width integers, as every field of the WAL and checkpoint formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::wal {

inline void putFixed(std::string* out, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

inline void encodeFixed(char* dst, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) dst[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

// Reads width bytes at src; the caller guarantees they exist.
inline uint64_t decodeFixed(const char* src, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= uint64_t{static_cast<unsigned char>(src[i])} << (8 * i);
  return value;
}

}  // namespace sluice::wal
