// Constants of the on-disk formats of the write-ahead log and of checkpoint files. The
// formats are drawn in wal/FORMAT.md; this header is their one source of numbers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice::wal {

// ---- Segment files: "log-<seq>-<startMs>-<endMs>" -------------------------------------

// Segment header, at file offset 0: magic (4), version (2), reserved zero (2), masked
// CRC32C of the first 8 bytes (4). All integers little-endian.
constexpr uint32_t kSegmentMagic = 0x4C415753;  // "SWAL" on disk
constexpr uint16_t kFormatVersion = 1;
constexpr size_t kSegmentHeaderSize = 12;

// A segment is a sequence of 32 KiB blocks (the first one begins with the segment header).
// A fragment never crosses a block boundary; fewer than kFragmentHeaderSize bytes left in
// a block are a zero-filled trailer.
constexpr size_t kBlockSize = 32768;

// Fragment header: masked CRC32C (4) of bytes [4, 7 + length), i.e. of the length, the
// type and the payload; payload length (2); type (1).
constexpr size_t kFragmentHeaderSize = 7;

enum class FragmentType : uint8_t {
  kZero = 0,  // never written: zero bytes (a trailer or a zero-filled tail)
  kFull = 1,
  kFirst = 2,
  kMiddle = 3,
  kLast = 4,
};
constexpr uint8_t kMaxFragmentType = 4;

// ---- Checkpoint files: "checkpoint-<timeMs>" -----------------------------------------

// Header: magic (4), version (2), reserved zero (2), blob length (8), masked CRC32C of the
// blob (4), masked CRC32C of the first 16 header bytes (4); then the blob.
constexpr uint32_t kCheckpointMagic = 0x4B434C53;  // "SLCK" on disk
constexpr uint16_t kCheckpointVersion = 1;
constexpr size_t kCheckpointHeaderSize = 24;

}  // namespace sluice::wal
