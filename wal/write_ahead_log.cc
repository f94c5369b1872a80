#include "wal/write_ahead_log.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "wal/segment_reader.h"

namespace sluice::wal {

namespace {

Status notDurable(const Status& st) {
  return Status(st.code(), "WAL record not durable: " + st.message());
}

StatusOr<std::vector<SegmentName>> listSegmentsIn(FileSystem* fs, const std::string& dir) {
  auto names = fs->listDir(dir);
  if (!names) return names.status();
  std::vector<SegmentName> segments;
  for (const auto& name : *names) {
    if (auto parsed = parseSegmentName(name)) segments.push_back(*parsed);
  }
  std::sort(segments.begin(), segments.end(),
            [](const SegmentName& a, const SegmentName& b) { return a.seq < b.seq; });
  return segments;
}

}  // namespace

StatusOr<std::unique_ptr<WriteAheadLog>> WriteAheadLog::open(const std::string& dir,
                                                             WalOptions options) {
  if (options.rolling_interval_ms <= 0 || options.rolling_size_bytes == 0) {
    return Status::invalidArgument("WAL rolling interval and size must be positive");
  }
  FileSystem* fs = options.fs != nullptr ? options.fs : posixFileSystem();
  SLUICE_RETURN_IF_ERROR(fs->createDir(dir));
  auto segments = listSegmentsIn(fs, dir);
  if (!segments) return segments.status();
  std::optional<SegmentName> last;
  if (!segments->empty()) last = segments->back();
  spdlog::debug("WAL {}: opened with {} segment(s), fsync={}", dir, segments->size(),
                fsyncPolicyName(options.fsync));
  return std::unique_ptr<WriteAheadLog>(new WriteAheadLog(fs, dir, options, last));
}

WriteAheadLog::WriteAheadLog(FileSystem* fs, std::string dir, WalOptions options,
                             std::optional<SegmentName> last_segment)
    : fs_(fs),
      dir_(std::move(dir)),
      options_(options),
      next_seq_(last_segment ? last_segment->seq + 1 : 1) {
  if (options_.append_to_last_segment) reopen_candidate_ = last_segment;
}

WriteAheadLog::~WriteAheadLog() {
  Status st = close();
  if (!st) spdlog::warn("WAL {}: close: {}", dir_, st.toString());
}

Status WriteAheadLog::rollIfNeededLocked(int64_t time_ms) {
  if (current_ && !current_->broken() && time_ms < current_name_.end_ms &&
      current_->size() < options_.rolling_size_bytes) {
    return Status::ok();
  }
  if (current_) finishSegmentLocked();
  if (reopenLastSegmentLocked(time_ms)) return Status::ok();
  SegmentName name{next_seq_++, time_ms, time_ms + options_.rolling_interval_ms};
  std::string segment = name.toString();
  auto writer = SegmentWriter::create(fs_, pathOf(segment));
  if (!writer) return writer.status();
  if (options_.fsync != FsyncPolicy::kNone) {  // the header and the directory entry
    Status st = (*writer)->sync();
    ++syncs_;
    if (st) st = fs_->syncDir(dir_);
    if (!st) return notDurable(st);
  }
  current_ = std::move(*writer);
  current_name_ = name;
  current_segment_ = std::move(segment);
  spdlog::debug("WAL {}: writing segment {}", dir_, current_segment_);
  return Status::ok();
}

bool WriteAheadLog::reopenLastSegmentLocked(int64_t time_ms) {
  if (!reopen_candidate_) return false;
  const SegmentName name = *reopen_candidate_;
  reopen_candidate_.reset();
  if (time_ms >= name.end_ms) return false;
  const std::string segment = name.toString();
  auto writer = SegmentWriter::reopen(fs_, pathOf(segment));
  if (!writer) {
    spdlog::warn("WAL {}: starting a new segment instead of appending to {}: {}", dir_, segment,
                 writer.status().toString());
    return false;
  }
  if ((*writer)->size() >= options_.rolling_size_bytes) return false;
  current_ = std::move(*writer);
  current_name_ = name;
  current_segment_ = segment;
  spdlog::debug("WAL {}: appending to segment {} at offset {}", dir_, segment, current_->size());
  return true;
}

void WriteAheadLog::finishSegmentLocked() {
  if (options_.fsync == FsyncPolicy::kGroup && !pending_->empty) {
    // A leader may be syncing an earlier group of this segment right now; this sync covers
    // the later records that would otherwise wait for a sync of the next segment.
    pending_->status = current_->sync();
    ++syncs_;
    pending_->done = true;
    pending_ = std::make_shared<SyncBatch>();
    cv_.notify_all();
  }
  current_.reset();
}

StatusOr<RecordHandle> WriteAheadLog::write(std::string_view record, int64_t time_ms) {
  if (time_ms < 0) {
    return Status::invalidArgument("WAL record time must be >= 0, got " + std::to_string(time_ms));
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) return Status::aborted("WAL " + dir_ + " is closed");
  SLUICE_RETURN_IF_ERROR(rollIfNeededLocked(time_ms));
  auto offset = current_->append(record);
  if (!offset) return notDurable(offset.status());
  RecordHandle handle{current_segment_, *offset, record.size()};
  switch (options_.fsync) {
    case FsyncPolicy::kNone:
      return handle;
    case FsyncPolicy::kAlways: {
      Status st = current_->sync();
      ++syncs_;
      if (!st) return notDurable(st);
      return handle;
    }
    case FsyncPolicy::kGroup:
      break;
  }
  pending_->empty = false;
  Status st = awaitGroupSync(pending_, lock);
  if (!st) return notDurable(st);
  return handle;
}

Status WriteAheadLog::awaitGroupSync(std::shared_ptr<SyncBatch> batch,
                                     std::unique_lock<std::mutex>& lock) {
  while (!batch->done) {
    if (sync_running_) {
      cv_.wait(lock);
      continue;
    }
    // Lead: a batch is pending, in flight or done, so with no sync running ours is the
    // pending one, and its records are all in the current segment.
    assert(batch == pending_);
    sync_running_ = true;
    std::shared_ptr<SyncBatch> flight = std::exchange(pending_, std::make_shared<SyncBatch>());
    std::shared_ptr<SegmentWriter> writer = current_;
    lock.unlock();
    Status st = writer->sync();
    lock.lock();
    ++syncs_;
    sync_running_ = false;
    flight->status = std::move(st);
    flight->done = true;
    cv_.notify_all();
  }
  return batch->status;
}

StatusOr<std::string> WriteAheadLog::read(const RecordHandle& handle) const {
  if (!parseSegmentName(handle.segment)) {
    return Status::invalidArgument("'" + handle.segment + "' is not a WAL segment name");
  }
  auto file = fs_->newRandomAccessFile(pathOf(handle.segment));
  if (!file) {
    if (file.status().code() == StatusCode::kNotFound) {
      return Status::notFound("WAL segment " + pathOf(handle.segment) +
                              " is gone (cleaned up?): cannot read " + handle.toString());
    }
    return file.status();
  }
  return readRecordAt(**file, handle.segment, handle.offset, handle.length);
}

Status WriteAheadLog::forEach(const Visitor& visit, RecoveryReport* report) const {
  RecoveryReport local;
  RecoveryReport& r = report != nullptr ? *report : local;
  r = RecoveryReport{};
  auto segments = listSegments();
  if (!segments) return segments.status();
  for (const SegmentName& name : *segments) {
    const std::string segment = name.toString();
    auto file = fs_->newRandomAccessFile(pathOf(segment));
    if (!file) {
      if (file.status().code() == StatusCode::kNotFound) continue;  // cleaned up meanwhile
      return file.status();
    }
    SegmentReader reader(file->get(), pathOf(segment));
    std::string data;
    uint64_t offset = 0;
    while (reader.next(&data, &offset)) {
      RecordHandle handle{segment, offset, data.size()};
      SLUICE_RETURN_IF_ERROR(visit(handle, std::move(data)));
    }
    SLUICE_RETURN_IF_ERROR(reader.status());
    const SegmentReadStats& s = reader.stats();
    ++r.segments;
    r.records += s.records;
    r.corruptions += s.corruptions;
    r.corrupt_bytes += s.corrupt_bytes;
    r.torn_bytes += s.torn_bytes;
    if (s.corruptions > 0) {
      spdlog::warn("WAL segment {}: skipped {} corrupt region(s), {} bytes, the first at offset "
                   "{}: {}; {} record(s) read",
                   pathOf(segment), s.corruptions, s.corrupt_bytes, s.first_corruption->offset,
                   s.first_corruption->reason, s.records);
    }
    if (s.torn_bytes > 0) {
      spdlog::info("WAL segment {} ends with an unfinished write of {} bytes (ignored)",
                   pathOf(segment), s.torn_bytes);
    }
  }
  return Status::ok();
}

StatusOr<std::vector<RecoveredRecord>> WriteAheadLog::readAll(RecoveryReport* report) const {
  std::vector<RecoveredRecord> records;
  Status st = forEach(
      [&](const RecordHandle& handle, std::string&& data) {
        records.push_back(RecoveredRecord{handle, std::move(data)});
        return Status::ok();
      },
      report);
  if (!st) return st;
  return records;
}

StatusOr<size_t> WriteAheadLog::cleanup(int64_t threshold_ms) {
  uint64_t first_live_seq;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // The segment being written, and any started after this point, are kept.
    first_live_seq = current_ ? current_name_.seq : next_seq_;
    // A newest segment that no write has reopened yet may be deleted: then none may.
    if (reopen_candidate_ && reopen_candidate_->end_ms <= threshold_ms) reopen_candidate_.reset();
  }
  auto segments = listSegments();
  if (!segments) return segments.status();
  size_t removed = 0;
  Status first_error;
  for (const SegmentName& name : *segments) {
    if (name.seq >= first_live_seq || name.end_ms > threshold_ms) continue;
    Status st = fs_->removeFile(pathOf(name.toString()));
    if (st) {
      ++removed;
    } else if (st.code() != StatusCode::kNotFound && first_error.isOk()) {
      first_error = st;
    }
  }
  if (removed > 0) {
    spdlog::debug("WAL {}: cleanup before {} removed {} segment(s)", dir_, threshold_ms, removed);
  }
  if (!first_error) return first_error;
  return removed;
}

StatusOr<std::vector<SegmentName>> WriteAheadLog::listSegments() const {
  return listSegmentsIn(fs_, dir_);
}

Status WriteAheadLog::close() {
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) return Status::ok();
  cv_.wait(lock, [&] { return !sync_running_; });
  closed_ = true;
  if (!current_) return Status::ok();
  std::shared_ptr<SyncBatch> last = pending_;
  finishSegmentLocked();
  return last->status;
}

uint64_t WriteAheadLog::syncCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

}  // namespace sluice::wal
