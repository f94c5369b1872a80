// CRC32C (Castagnoli polynomial, as in iSCSI, ext4 and LevelDB), computed with the SSE4.2
// crc32 instruction where the CPU has it, else in software with slicing-by-8 tables. Stored checksums are masked as LevelDB masks them, so that the CRC of
// a string that itself contains CRCs is not trivially related to them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice::wal::crc32c {

// The CRC32C of data[0, n) appended to the data whose CRC32C is crc (0 to start).
// Thread-safe (pure).
uint32_t extend(uint32_t crc, const void* data, size_t n);
// extend() with the tables only (tests compare it with the instruction).
uint32_t extendPortable(uint32_t crc, const void* data, size_t n);

inline uint32_t value(const void* data, size_t n) { return extend(0, data, n); }

constexpr uint32_t kMaskDelta = 0xA282EAD8u;

// The form in which a CRC is stored on disk, and its inverse.
constexpr uint32_t mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
constexpr uint32_t unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace sluice::wal::crc32c
