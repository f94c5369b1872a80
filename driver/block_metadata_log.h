// BlockMetadataLog: the driver's write-ahead log of received-block metadata (Spark's
// ReceivedBlockTracker WAL), in <checkpoint>/receivedBlockMetadata/. It records every
// block a receiver reported (before the receiver is told it was recorded), every
// allocation of blocks to a batch, and every batch that completed, so that a restarted
// driver knows which reported blocks no completed batch has processed.
//
// THREADING: thread-safe (WriteAheadLog is).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "driver/duration.h"
#include "driver/receiver_tracker.h"
#include "wal/write_ahead_log.h"

namespace sluice {

// What a restarted driver takes over from the log.
struct RecoveredBlocks {
  // Reported blocks that no completed batch processed, in report order: the first batch
  // of the restarted driver processes them (at-least-once).
  std::vector<ReceivedBlockInfo> unprocessed;
  // Batches that had blocks allocated but did not complete.
  std::vector<Time> incomplete_batches;
  Time last_completed = -1;
};

class BlockMetadataLog {
 public:
  // Opens (creating) the log in dir with options (wal.fsync, ...).
  static StatusOr<std::unique_ptr<BlockMetadataLog>> open(const std::string& dir, wal::WalOptions options);

  // Each returns once the event is durable under the WAL's fsync policy.
  Status blockAdded(const ReceivedBlockInfo& block);
  Status batchAllocated(Time t);
  Status batchCompleted(Time t);
  // A restarted driver took over the unprocessed blocks recover() returned: the next
  // allocation gets them (so that they count as processed once that batch completes).
  Status recovered();

  // Reads the whole log (before the first write of this run).
  StatusOr<RecoveredBlocks> recover() const;

  // Drops whole segments whose events are all older than t (completed batches' blocks).
  void cleanup(Time t);

 private:
  explicit BlockMetadataLog(std::unique_ptr<wal::WriteAheadLog> wal) : wal_(std::move(wal)) {}
  Status append(int32_t kind, const ReceivedBlockInfo& block, Time t);

  std::unique_ptr<wal::WriteAheadLog> wal_;
};

}  // namespace sluice
