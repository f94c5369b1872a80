#include "wal/segment_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>

#include "wal/coding.h"
#include "wal/crc32c.h"
#include "wal/format.h"
#include "wal/segment_reader.h"
#include "wal/wal_metrics.h"

namespace sluice::wal {

StatusOr<std::unique_ptr<SegmentWriter>> SegmentWriter::create(FileSystem* fs,
                                                               const std::string& path) {
  auto file = fs->newWritableFile(path);
  if (!file) return file.status();
  std::unique_ptr<SegmentWriter> writer(new SegmentWriter(std::move(*file)));
  std::string header;
  putFixed(&header, kSegmentMagic, 4);
  putFixed(&header, kFormatVersion, 2);
  putFixed(&header, 0, 2);
  putFixed(&header, crc32c::mask(crc32c::value(header.data(), header.size())), 4);
  assert(header.size() == kSegmentHeaderSize);
  SLUICE_RETURN_IF_ERROR(writer->file_->append(header));
  writer->size_ = header.size();
  writer->block_offset_ = header.size();
  return writer;
}

StatusOr<std::unique_ptr<SegmentWriter>> SegmentWriter::reopen(FileSystem* fs,
                                                               const std::string& path) {
  uint64_t end = 0;
  {
    auto file = fs->newRandomAccessFile(path);
    if (!file) return file.status();
    std::string header;
    SLUICE_RETURN_IF_ERROR((*file)->read(0, kSegmentHeaderSize, &header));
    bool intact = header.size() == kSegmentHeaderSize &&
                  decodeFixed(header.data(), 4) == kSegmentMagic &&
                  crc32c::unmask(static_cast<uint32_t>(decodeFixed(header.data() + 8, 4))) ==
                      crc32c::value(header.data(), 8) &&
                  decodeFixed(header.data() + 4, 2) == kFormatVersion;
    if (!intact) {
      return Status::invalidArgument("cannot append to WAL segment " + path +
                                     ": its header is damaged or of another format version");
    }
    SegmentReader reader(file->get(), path);
    std::string record;
    uint64_t offset = 0;
    while (reader.next(&record, &offset)) {
    }
    SLUICE_RETURN_IF_ERROR(reader.status());
    end = reader.stats().valid_end;
    auto size = (*file)->size();
    if (!size) return size.status();
    if (*size > end) {
      spdlog::info("WAL segment {}: cutting an unfinished write of {} bytes before appending",
                   path, *size - end);
    }
  }
  auto file = fs->reopenWritableFile(path, end);
  if (!file) return file.status();
  std::unique_ptr<SegmentWriter> writer(new SegmentWriter(std::move(*file)));
  writer->size_ = end;
  writer->block_offset_ = static_cast<size_t>(end % kBlockSize);
  return writer;
}

void SegmentWriter::encodeFragment(uint8_t type, std::string_view payload, std::string* out) {
  assert(block_offset_ + kFragmentHeaderSize + payload.size() <= kBlockSize);
  size_t start = out->size();
  putFixed(out, 0, 4);  // CRC, filled in below
  putFixed(out, payload.size(), 2);
  out->push_back(static_cast<char>(type));
  out->append(payload);
  uint32_t crc = crc32c::value(out->data() + start + 4, 3 + payload.size());
  encodeFixed(out->data() + start, crc32c::mask(crc), 4);
  block_offset_ += kFragmentHeaderSize + payload.size();
}

StatusOr<uint64_t> SegmentWriter::append(std::string_view record) {
  {
    std::lock_guard<std::mutex> lock(error_mu_);
    if (!error_.isOk()) return error_;
  }
  // Fragments are framed into scratch_ and appended every kAppendChunk bytes: a large
  // record (a received block of tens of MB) costs no buffer of its own size, and scratch_
  // keeps its pages from one record to the next.
  std::string& out = scratch_;
  out.clear();
  out.reserve(std::min(record.size(), kAppendChunk) + kBlockSize);
  uint64_t offset = 0;
  uint64_t appended = 0;
  bool first = true;
  do {
    size_t left_in_block = kBlockSize - block_offset_;
    if (left_in_block < kFragmentHeaderSize) {
      out.append(left_in_block, '\0');  // trailer
      block_offset_ = 0;
      left_in_block = kBlockSize;
    }
    if (first) offset = size_ + appended + out.size();
    size_t n = std::min(record.size(), left_in_block - kFragmentHeaderSize);
    bool last = n == record.size();
    FragmentType type = first && last ? FragmentType::kFull
                        : first       ? FragmentType::kFirst
                        : last        ? FragmentType::kLast
                                      : FragmentType::kMiddle;
    encodeFragment(static_cast<uint8_t>(type), record.substr(0, n), &out);
    record.remove_prefix(n);
    first = false;
    if (block_offset_ == kBlockSize) block_offset_ = 0;
    if (out.size() >= kAppendChunk && !record.empty()) {
      Status st = file_->append(out);
      if (!st) return fail(std::move(st));
      appended += out.size();
      out.clear();
    }
  } while (!record.empty());
  Status st = file_->append(out);
  if (!st) return fail(std::move(st));
  size_ += appended + out.size();
  walMetrics().written_bytes += appended + out.size();
  if (out.capacity() > 2 * kAppendChunk + kBlockSize) std::string().swap(out);
  return offset;
}

Status SegmentWriter::sync() {
  {
    std::lock_guard<std::mutex> lock(error_mu_);
    if (!error_.isOk()) return error_;
  }
  Status st = file_->sync();
  if (!st) return fail(std::move(st));
  ++walMetrics().fsyncs;
  return st;
}

bool SegmentWriter::broken() const {
  std::lock_guard<std::mutex> lock(error_mu_);
  return !error_.isOk();
}

Status SegmentWriter::fail(Status st) {
  std::lock_guard<std::mutex> lock(error_mu_);
  if (error_.isOk()) error_ = st;
  return st;
}

}  // namespace sluice::wal
