// ReceivedBlockTracker: the driver's bookkeeping of received blocks (Spark's
// ReceivedBlockTracker). It keeps the blocks receivers reported, per stream, until a batch
// takes them; at each batch time it allocates every unallocated block to that batch (one
// RDD partition per block); it forgets the blocks of old batches and deletes the receiver
// WAL segments and block metadata log segments no batch needs any more. With a block
// metadata log it logs every report and allocation before memory changes, so that a
// restarted driver recovers both (restore()). It speaks to no socket: the ReceiverTracker
// feeds it reports and removes forgotten blocks from the executors.
//
// THREADING: thread-safe; every call may come from any thread. Calls that log hold the
// tracker's lock while they write, so that the log orders reports and allocations as
// memory does.
#pragma once

#include <atomic>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "streaming/duration.h"
#include "streaming/recovery/block_metadata_log.h"
#include "wal/file.h"

namespace sluice {

class ReceivedBlockTracker {
 public:
  // How much longer than asked the receiver WAL and the metadata log keep their segments:
  // a block written just before a batch time may be reported, and allocated, after it.
  static constexpr int64_t kWalCleanupMarginMs = 10'000;

  // receiver_wal_fs: the file system of the receivers' WAL directories (ReceivedBlockInfo::
  // wal_dir), for their cleanup; null means the local disk. Not owned; must outlive this.
  explicit ReceivedBlockTracker(wal::FileSystem* receiver_wal_fs = nullptr) : receiver_wal_fs_(receiver_wal_fs) {}

  // Before the first report: log reports, allocations and completed batches to log (not
  // owned; must outlive this tracker). Null: nothing is logged.
  void setMetadataLog(BlockMetadataLog* log) { metadata_log_ = log; }
  // Before the first report: what an earlier run of the driver logged (BlockMetadataLog::
  // recover()). Its batches keep their blocks (re-run batches read them again), and the next
  // allocation gets the blocks no batch took.
  void restore(RecoveredBlocks recovered);

  // Records a reported block. With a metadata log, only once it is logged: if the write
  // fails, the error is returned and the block is not recorded.
  Status addBlock(ReceivedBlockInfo block);
  // Moves every unallocated block to batch t; a second call for t (or for a restored batch)
  // changes nothing. With a metadata log the allocation is logged first: if that write
  // fails, the error is returned and the blocks stay unallocated (the next batch takes them,
  // as a restarted driver reading the log would), as Spark's tracker does.
  Status allocateBlocksToBatch(Time t);
  // Batch t's jobs all ended: logged (when there is a log), so that a restarted driver does
  // not run it again. The error of a failed write is returned.
  Status batchCompleted(Time t);

  // The blocks of stream_id allocated to batch t, in report order; empty if none.
  std::vector<ReceivedBlockInfo> blocksOfBatch(Time t, int stream_id) const;
  // The blocks of stream_id no batch took yet, in report order.
  std::vector<ReceivedBlockInfo> unallocatedBlocks(int stream_id) const;
  bool hasUnallocatedBlocks() const;
  // The position (ReceivedBlockInfo::position) of the last block of stream_id that carried
  // one, recorded or restored; "" if none.
  std::string lastPosition(int stream_id) const;

  // Forgets the blocks of stream_id allocated to batches up to t and returns them (the
  // caller removes them from the executors). Deletes the receiver WAL segments of those
  // blocks whose every record is older than min(t, retainFrom()) by kWalCleanupMarginMs;
  // a cleanup that fails is logged (a later call for the same WAL deletes what it left).
  std::vector<ReceivedBlockInfo> cleanupOldBlocks(int stream_id, Time t);
  // Batches from t on may be read again (the oldest batch a restart from the latest
  // checkpoint recomputes): the metadata log drops its segments older than t by
  // kWalCleanupMarginMs, and receiver WAL cleanup never goes past that either.
  void retainFrom(Time t);

 private:
  wal::FileSystem* const receiver_wal_fs_;
  BlockMetadataLog* metadata_log_ = nullptr;
  std::atomic<Time> retain_from_{std::numeric_limits<Time>::max()};

  mutable std::mutex mu_;
  std::map<int, std::deque<ReceivedBlockInfo>> unallocated_;
  std::map<int, std::string> positions_;  // stream -> position of its last recorded block
  std::map<Time, std::map<int, std::vector<ReceivedBlockInfo>>> allocated_;
};

}  // namespace sluice
