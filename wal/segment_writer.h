// SegmentWriter: appends records to one segment file in the framing of wal/FORMAT.md
// (32 KiB blocks, FULL/FIRST/MIDDLE/LAST fragments with CRC32C).
//
// THREADING: append() and size() from one thread at a time (the WriteAheadLog's lock);
// sync() may run concurrently with append() from another thread (group commit).
// After any error the writer is broken: that error sticks and every later append() and
// sync() returns it, because the file's contents past the last good sync are unknown.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"
#include "wal/file.h"

namespace sluice::wal {

class SegmentWriter {
 public:
  // Creates (truncating) the segment file at path through *fs and writes its header; the
  // header is made durable by the first sync(). *fs must outlive the writer.
  static StatusOr<std::unique_ptr<SegmentWriter>> create(FileSystem* fs, const std::string& path);

  // Reopens the existing segment at path to append to it: reads it through, cuts off a
  // torn tail (logged at info) and continues the framing where the last record or corrupt
  // region ended. InvalidArgument if the segment header is damaged or of another format
  // version (the caller should start a new segment instead); an I/O error as it is.
  static StatusOr<std::unique_ptr<SegmentWriter>> reopen(FileSystem* fs, const std::string& path);

  // Appends one logical record (any length, empty allowed) and returns the file offset of
  // its first fragment: the offset of a RecordHandle. One file append per kAppendChunk
  // bytes of framed record (one for a record below 1 MiB). Not durable until sync().
  StatusOr<uint64_t> append(std::string_view record);

  // Makes every record appended before the call durable.
  Status sync();

  // Bytes in the file so far (header, fragments, trailers).
  uint64_t size() const { return size_; }
  const std::string& path() const { return file_->path(); }
  bool broken() const;

  static constexpr size_t kAppendChunk = size_t{1} << 20;

 private:
  explicit SegmentWriter(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
  // Appends the fragment header and payload to *out, for a fragment at block offset
  // block_offset_.
  void encodeFragment(uint8_t type, std::string_view payload, std::string* out);
  Status fail(Status st);

  std::unique_ptr<WritableFile> file_;
  uint64_t size_ = 0;
  size_t block_offset_ = 0;  // size_ % kBlockSize
  std::string scratch_;      // append()'s framing buffer, kept between calls
  mutable std::mutex error_mu_;
  Status error_;  // sticky; guarded by error_mu_
};

}  // namespace sluice::wal
