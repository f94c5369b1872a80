#include "wal/segment_reader.h"

#include <algorithm>

#include "wal/coding.h"
#include "wal/crc32c.h"
#include "wal/format.h"

namespace sluice::wal {

namespace {

bool allZero(const char* p, size_t n) {
  return std::all_of(p, p + n, [](char c) { return c == 0; });
}

// p points at a fragment header followed by at least `length` payload bytes.
bool checksumMatches(const char* p, size_t length) {
  uint32_t stored = crc32c::unmask(static_cast<uint32_t>(decodeFixed(p, 4)));
  return stored == crc32c::value(p + 4, 3 + length);
}

bool knownType(uint8_t type) { return type != 0 && type <= kMaxFragmentType; }

}  // namespace

SegmentReader::SegmentReader(const RandomAccessFile* file, std::string name)
    : file_(file), name_(std::move(name)) {}

bool SegmentReader::start() {
  auto size = file_->size();
  if (!size) {
    status_ = size.status();
    return false;
  }
  file_size_ = *size;
  if (file_size_ < kSegmentHeaderSize) {  // the header itself was torn
    stats_.torn_bytes = file_size_;
    return false;
  }
  if (!loadNextBlock()) return false;
  const char* h = block_.data();
  pos_ = kSegmentHeaderSize;
  stats_.valid_end = kSegmentHeaderSize;
  if (allZero(h, kSegmentHeaderSize)) return true;  // zero-filled by a crash; records decide
  bool intact = decodeFixed(h, 4) == kSegmentMagic &&
                crc32c::unmask(static_cast<uint32_t>(decodeFixed(h + 8, 4))) ==
                    crc32c::value(h, 8);
  if (!intact) {
    reportCorruption(0, kSegmentHeaderSize, "bad segment header");
    return true;  // the fragments check themselves; read on as the current version
  }
  auto version = decodeFixed(h + 4, 2);
  if (version != kFormatVersion) {
    status_ = Status::invalidArgument("WAL segment " + name_ + " has format version " +
                                      std::to_string(version) + "; this build reads version " +
                                      std::to_string(kFormatVersion));
    return false;
  }
  return true;
}

bool SegmentReader::loadNextBlock() {
  uint64_t next = block_loaded_ ? block_start_ + kBlockSize : 0;
  if (next >= file_size_) return false;
  size_t n = static_cast<size_t>(std::min<uint64_t>(kBlockSize, file_size_ - next));
  Status st = file_->read(next, n, &block_);
  if (!st) {
    status_ = std::move(st);
    return false;
  }
  block_start_ = next;
  block_loaded_ = true;
  pos_ = 0;
  if (block_.size() < n) file_size_ = next + block_.size();  // the file shrank under us
  return true;
}

size_t SegmentReader::scanForFragment(size_t from) const {
  for (size_t q = from; q + kFragmentHeaderSize <= block_.size(); ++q) {
    const char* p = block_.data() + q;
    size_t length = decodeFixed(p + 4, 2);
    if (!knownType(static_cast<uint8_t>(p[6]))) continue;
    if (q + kFragmentHeaderSize + length > block_.size()) continue;
    if (checksumMatches(p, length)) return q;
  }
  return block_.size();
}

bool SegmentReader::readFragment(Fragment* fragment) {
  while (true) {
    if (!block_loaded_ || pos_ >= block_.size()) {
      if (!loadNextBlock()) return false;
      continue;
    }
    // The file ends inside this block: the only place a torn write can be.
    const bool last_block = block_.size() < kBlockSize;
    const size_t left = block_.size() - pos_;
    const char* p = block_.data() + pos_;
    const uint64_t here = block_start_ + pos_;
    if (left < kFragmentHeaderSize) {  // a trailer, or a header cut short
      if (!allZero(p, left)) {
        if (last_block) {
          stats_.torn_bytes += left;
        } else {
          if (in_record_) dropPending(here, "record cut by a corrupt block trailer");
          reportCorruption(here, left, "non-zero block trailer");
        }
      }
      pos_ = block_.size();
      continue;
    }
    if (allZero(p, left)) {  // zero padding or a zero-filled tail
      pos_ = block_.size();
      continue;
    }
    const size_t length = decodeFixed(p + 4, 2);
    const auto type = static_cast<uint8_t>(p[6]);
    const size_t end = pos_ + kFragmentHeaderSize + length;
    std::string reason;
    bool maybe_torn = false;
    if (end > block_.size()) {
      maybe_torn = last_block && end <= kBlockSize;
      reason = "fragment length " + std::to_string(length) +
               (maybe_torn ? " runs past the end of the file" : " overruns its block");
    } else if (!knownType(type)) {
      reason = "unknown fragment type " + std::to_string(type);
    } else if (!checksumMatches(p, length)) {
      reason = "checksum mismatch";
    }
    if (reason.empty()) {
      fragment->type = type;
      fragment->payload = std::string_view(p + kFragmentHeaderSize, length);
      fragment->offset = here;
      pos_ = end;
      return true;
    }
    size_t found = scanForFragment(pos_ + 1);
    if (maybe_torn && found == block_.size()) {  // nothing valid after it: a torn last write
      stats_.torn_bytes += left;
      pos_ = block_.size();
      continue;
    }
    if (in_record_) dropPending(here, "record cut by a corrupt fragment");
    reportCorruption(here, found - pos_, std::move(reason));
    pos_ = found;
  }
}

bool SegmentReader::next(std::string* record, uint64_t* offset) {
  if (!started_) {
    started_ = true;
    if (!start()) done_ = true;
  }
  if (done_) return false;
  Fragment f;
  while (readFragment(&f)) {
    const uint64_t fragment_end = block_start_ + pos_;
    switch (static_cast<FragmentType>(f.type)) {
      case FragmentType::kFull:
        if (in_record_) dropPending(f.offset, "record without its LAST fragment");
        record->assign(f.payload);
        *offset = f.offset;
        ++stats_.records;
        stats_.valid_end = std::max(stats_.valid_end, fragment_end);
        return true;
      case FragmentType::kFirst:
        if (in_record_) dropPending(f.offset, "record without its LAST fragment");
        pending_.assign(f.payload);
        pending_offset_ = f.offset;
        pending_end_ = fragment_end;
        in_record_ = true;
        break;
      case FragmentType::kMiddle:
      case FragmentType::kLast:
        if (!in_record_) {
          reportCorruption(f.offset, fragment_end - f.offset, "fragment without its FIRST");
          break;
        }
        pending_.append(f.payload);
        pending_end_ = fragment_end;
        if (static_cast<FragmentType>(f.type) == FragmentType::kLast) {
          *record = std::move(pending_);
          pending_.clear();
          *offset = pending_offset_;
          in_record_ = false;
          ++stats_.records;
          stats_.valid_end = std::max(stats_.valid_end, fragment_end);
          return true;
        }
        break;
      case FragmentType::kZero:
        break;  // readFragment never returns one
    }
  }
  if (in_record_) {  // the writer died between the fragments of its last record
    stats_.torn_bytes += pending_end_ - pending_offset_;
    in_record_ = false;
    pending_.clear();
  }
  done_ = true;
  return false;
}

void SegmentReader::dropPending(uint64_t end_offset, const char* reason) {
  reportCorruption(pending_offset_, end_offset - pending_offset_, reason);
  in_record_ = false;
  pending_.clear();
}

void SegmentReader::reportCorruption(uint64_t offset, uint64_t bytes, std::string reason) {
  stats_.corrupt_bytes += bytes;
  stats_.valid_end = std::max(stats_.valid_end, offset + bytes);
  bool continues_last = stats_.corruptions > 0 && offset == last_corruption_end_;
  last_corruption_end_ = offset + bytes;
  if (continues_last) {  // one damaged stretch is one corruption
    if (stats_.corruptions == 1) stats_.first_corruption->bytes += bytes;
    return;
  }
  ++stats_.corruptions;
  if (!stats_.first_corruption) stats_.first_corruption = CorruptRegion{offset, bytes, std::move(reason)};
}

StatusOr<std::string> readRecordAt(const RandomAccessFile& file, const std::string& name,
                                   uint64_t offset, uint64_t length) {
  auto where = [&] { return "WAL record at " + name + ":" + std::to_string(offset); };
  if (offset < kSegmentHeaderSize || kBlockSize - offset % kBlockSize < kFragmentHeaderSize) {
    return Status::invalidArgument(where() + " is not a valid record offset");
  }
  std::string record;
  std::string buf;
  uint64_t pos = offset;
  bool first = true;
  while (true) {
    size_t in_block = pos % kBlockSize;
    if (kBlockSize - in_block < kFragmentHeaderSize) {  // skip a trailer
      pos += kBlockSize - in_block;
      in_block = 0;
    }
    size_t want = static_cast<size_t>(
        std::min<uint64_t>(kBlockSize - in_block, kFragmentHeaderSize + (length - record.size())));
    SLUICE_RETURN_IF_ERROR(file.read(pos, want, &buf));
    if (buf.size() < kFragmentHeaderSize) return Status::corruption(where() + " is truncated");
    size_t n = decodeFixed(buf.data() + 4, 2);
    auto type = static_cast<FragmentType>(buf[6]);
    if (kFragmentHeaderSize + n > buf.size()) {
      return Status::corruption(where() + " is truncated or longer than its handle says");
    }
    if (!checksumMatches(buf.data(), n)) return Status::corruption(where() + ": checksum mismatch");
    bool expected = first ? (type == FragmentType::kFull || type == FragmentType::kFirst)
                          : (type == FragmentType::kMiddle || type == FragmentType::kLast);
    if (!expected) return Status::corruption(where() + ": unexpected fragment type");
    record.append(buf, kFragmentHeaderSize, n);
    if (type == FragmentType::kFull || type == FragmentType::kLast) break;
    pos += kFragmentHeaderSize + n;
    first = false;
  }
  if (record.size() != length) {
    return Status::corruption(where() + " has " + std::to_string(record.size()) +
                              " bytes; its handle says " + std::to_string(length));
  }
  return record;
}

}  // namespace sluice::wal
