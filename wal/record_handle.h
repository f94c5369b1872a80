// RecordHandle: where one WAL record lives, (segment, offset, length), as Spark's
// FileBasedWriteAheadLogSegment. Small, copyable, serializable: a receiver reports it to the
// driver with the block, and the driver keeps it in its metadata.
#pragma once

#include <cstdint>
#include <string>

namespace sluice::wal {

struct RecordHandle {
  std::string segment;  // file name inside the WAL directory, "log-00000003-1000-61000"
  uint64_t offset = 0;  // file offset of the record's first fragment header
  uint64_t length = 0;  // record length in bytes (payload only)

  bool operator==(const RecordHandle&) const = default;
  std::string toString() const {
    return segment + ":" + std::to_string(offset) + "+" + std::to_string(length);
  }

  template <class Archive>
  void serialize(Archive& ar) {
    ar(segment, offset, length);
  }
};

}  // namespace sluice::wal
