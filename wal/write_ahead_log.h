// WriteAheadLog: a directory of rolling segment files (wal/FORMAT.md) that records are
// appended to and read back from, by handle or all in order for recovery.
//
//   auto wal = WriteAheadLog::open("/ckpt/receivedData/0", *WalOptions::fromConf(conf));
//   auto handle = (*wal)->write(block_bytes, batch_time_ms);   // durable when it returns
//   ...                                                        // report the handle
//   auto bytes = (*wal)->read(*handle);                        // replay after a restart
//   (*wal)->cleanup(oldest_needed_time_ms);                    // drop whole old segments
//
// Segments: writes go to one open segment, named when it is created by its sequence number
// and the time range [t, t + rolling interval) of its first record's time t. A write whose
// time is at or past the range's end, or that finds the segment at its size limit, closes
// the segment and starts the next one. Every record in a segment has a time before the end
// of its range, so cleanup(threshold) may delete whole segments whose range ends at or
// before the threshold.
//
// Reopening a directory (open() after a restart) continues the newest segment: the first
// write appends to it, after cutting off a torn tail, if its time falls before the end of
// that segment's range and the segment is below the size limit (see
// WalOptions::append_to_last_segment); otherwise it starts a new segment. Older segments
// are left as they are, to be read and cleaned up. A segment whose write or fsync failed
// is abandoned: its contents past the last good fsync are unknown, so the next write
// starts a new segment.
//
// THREADING: every method is thread-safe. write() calls from several threads are ordered
// by a lock; under FsyncPolicy::kGroup the one fsync in progress covers every record
// appended before it started, and writers that arrive during it share the next one
// (leader/follower group commit). close() must not race with write().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "wal/record_handle.h"
#include "wal/segment_name.h"
#include "wal/segment_writer.h"
#include "wal/wal_options.h"

namespace sluice::wal {

// What a recovery pass saw, summed over the segments.
struct RecoveryReport {
  uint64_t segments = 0;
  uint64_t records = 0;
  uint64_t corruptions = 0;  // corrupt regions (checksum mismatches, ...) reported and skipped
  uint64_t corrupt_bytes = 0;
  uint64_t torn_bytes = 0;  // unfinished last writes, a clean end of their segments
};

struct RecoveredRecord {
  RecordHandle handle;
  std::string data;
};

class WriteAheadLog {
 public:
  // Opens the log in dir, creating the directory if needed. Existing segments are kept
  // for reading; options.fs (if set) must outlive the log.
  static StatusOr<std::unique_ptr<WriteAheadLog>> open(const std::string& dir,
                                                       WalOptions options = {});
  // Closes (see close()).
  ~WriteAheadLog();
  WriteAheadLog(const WriteAheadLog&) = delete;
  WriteAheadLog& operator=(const WriteAheadLog&) = delete;

  // Appends record with the given time (milliseconds, >= 0; normally the batch or block
  // time that cleanup() will later compare against) and returns its handle once the
  // record is durable under options.fsync. On error nothing is promised about the record:
  // a failed fsync returns an IoError "WAL record not durable: cannot fsync <file>: ...",
  // and the next write goes to a new segment.
  StatusOr<RecordHandle> write(std::string_view record, int64_t time_ms);

  // The record behind handle. NotFound if its segment was cleaned up; Corruption if the
  // bytes there do not check out; InvalidArgument for a handle that is not of this log.
  StatusOr<std::string> read(const RecordHandle& handle) const;

  // Recovery: calls visit for every valid record of every segment, oldest first and in
  // write order. Torn tails end their segment cleanly; corrupt regions are skipped,
  // counted in *report and logged as one warning line per damaged segment. Stops at the
  // first error of visit and returns it; fails on an I/O error or a segment of an unknown
  // format version. Meant for recovery before writing: records appended concurrently may
  // or may not be seen.
  using Visitor = std::function<Status(const RecordHandle& handle, std::string&& data)>;
  Status forEach(const Visitor& visit, RecoveryReport* report = nullptr) const;

  // forEach() into a vector.
  StatusOr<std::vector<RecoveredRecord>> readAll(RecoveryReport* report = nullptr) const;

  // Deletes every segment, except the one being written, whose time range ends at or
  // before threshold_ms (so every record in it has a time < threshold_ms). Returns how
  // many segments it deleted.
  StatusOr<size_t> cleanup(int64_t threshold_ms);

  // The segments on disk, oldest first.
  StatusOr<std::vector<SegmentName>> listSegments() const;

  // Makes every record written so far durable under the policy and closes the open
  // segment. Later writes fail with Aborted. Idempotent.
  Status close();

  const std::string& dir() const { return dir_; }
  const WalOptions& options() const { return options_; }
  // fsyncs of segment files so far (metrics, tests).
  uint64_t syncCount() const;

 private:
  // Records appended since the last group fsync began; writers wait for `done`.
  struct SyncBatch {
    bool done = false;
    bool empty = true;
    Status status;
  };

  WriteAheadLog(FileSystem* fs, std::string dir, WalOptions options,
                std::optional<SegmentName> last_segment);
  std::string pathOf(const std::string& segment) const { return dir_ + "/" + segment; }
  // Reopens the newest segment found by open() for the first write, if that write may go
  // there; false to start a new one instead. Requires mu_.
  bool reopenLastSegmentLocked(int64_t time_ms);
  // Starts a new segment when there is none, or the current one cannot take a record of
  // time time_ms. Requires mu_.
  Status rollIfNeededLocked(int64_t time_ms);
  // Syncs the pending group (group policy) and drops the current segment. Requires mu_.
  void finishSegmentLocked();
  // Group commit: waits until batch is durable, syncing as leader when no one is.
  Status awaitGroupSync(std::shared_ptr<SyncBatch> batch, std::unique_lock<std::mutex>& lock);

  FileSystem* const fs_;
  const std::string dir_;
  const WalOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<SegmentWriter> current_;  // null until the first write, after a roll
  SegmentName current_name_;
  std::string current_segment_;  // current_name_.toString()
  uint64_t next_seq_;
  std::optional<SegmentName> reopen_candidate_;  // until the first write or its cleanup
  bool closed_ = false;
  std::shared_ptr<SyncBatch> pending_ = std::make_shared<SyncBatch>();
  bool sync_running_ = false;
  uint64_t syncs_ = 0;
};

}  // namespace sluice::wal
