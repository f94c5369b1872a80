// SegmentReader: reads the records of one segment file back (wal/FORMAT.md), for recovery;
// readRecordAt(): reads one record by its handle.
//
// What the reader does with damage:
//  - a torn tail (the last write cut short: a fragment that runs past the end of the file
//    with nothing valid after it, a header cut short, a first fragment whose continuation
//    is missing, zero bytes) is a clean end: counted in torn_bytes, not reported;
//  - anything else that does not check out (checksum mismatch, impossible length or type,
//    a MIDDLE/LAST fragment without its FIRST) is a corrupt region: counted, skipped, and
//    reading goes on at the next fragment whose checksum is valid.
// A single bit flip in the length field of the very LAST record of a segment cannot be told
// from a torn write; it is counted as a torn tail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "wal/file.h"

namespace sluice::wal {

struct CorruptRegion {
  uint64_t offset = 0;
  uint64_t bytes = 0;
  std::string reason;  // "checksum mismatch", "fragment length 40000 overruns its block", ...
};

struct SegmentReadStats {
  uint64_t records = 0;
  uint64_t corruptions = 0;  // corrupt regions skipped
  uint64_t corrupt_bytes = 0;
  uint64_t torn_bytes = 0;  // bytes of an unfinished last write (a clean end)
  // Offset just past the last record or corrupt region read (or the segment header): once
  // next() has returned false, where the torn tail or zero fill, if any, begins.
  uint64_t valid_end = 0;
  std::optional<CorruptRegion> first_corruption;
};

// THREADING: one thread at a time.
class SegmentReader {
 public:
  // *file must outlive the reader; name is used in messages. The reader sees the file as
  // long as it was at the first next() (a segment still being written ends there).
  SegmentReader(const RandomAccessFile* file, std::string name);

  // Moves to the next valid record: its bytes into *record, the file offset of its first
  // fragment (a RecordHandle's offset) into *offset. False at the end of the segment, or
  // when it cannot be read on (then status() says why).
  bool next(std::string* record, uint64_t* offset);

  // Not OK after an I/O error or a segment of an unsupported format version.
  const Status& status() const { return status_; }
  const SegmentReadStats& stats() const { return stats_; }

 private:
  struct Fragment {
    uint8_t type = 0;
    std::string_view payload;  // into block_, valid until the next readFragment()
    uint64_t offset = 0;
  };

  bool start();
  bool loadNextBlock();
  // Next well-formed fragment, skipping and reporting corrupt regions; false at the end.
  bool readFragment(Fragment* fragment);
  // The first offset in [from, block end) holding a fragment with a valid checksum, or the
  // block size if none.
  size_t scanForFragment(size_t from) const;
  void dropPending(uint64_t end_offset, const char* reason);
  void reportCorruption(uint64_t offset, uint64_t bytes, std::string reason);

  const RandomAccessFile* file_;
  const std::string name_;
  Status status_;
  SegmentReadStats stats_;
  bool started_ = false;
  bool done_ = false;
  uint64_t file_size_ = 0;
  std::string block_;
  uint64_t block_start_ = 0;
  bool block_loaded_ = false;
  size_t pos_ = 0;  // within block_
  bool in_record_ = false;  // between a FIRST fragment and its LAST
  std::string pending_;
  uint64_t pending_offset_ = 0;
  uint64_t pending_end_ = 0;  // end of pending_'s last fragment
  uint64_t last_corruption_end_ = 0;
};

// Reads the record of `length` bytes whose first fragment is at `offset` of *file (strictly:
// any damage is a Corruption status naming `name` and the offset).
StatusOr<std::string> readRecordAt(const RandomAccessFile& file, const std::string& name,
                                   uint64_t offset, uint64_t length);

}  // namespace sluice::wal
