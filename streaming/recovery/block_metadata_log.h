// BlockMetadataLog: the driver's write-ahead log of received-block metadata (Spark's
// ReceivedBlockTracker WAL), in <checkpoint>/receivedBlockMetadata/. It records every
// block a receiver reported (before the receiver is told it was recorded), every
// allocation of blocks to a batch (with the blocks, as Spark's BatchAllocationEvent), and
// every batch that completed, so that a restarted driver can re-run each incomplete batch
// on the blocks it had, and give the blocks no batch took to its next batch.
//
// THREADING: thread-safe (WriteAheadLog is).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "rpc/received_block_info.h"
#include "streaming/duration.h"
#include "wal/write_ahead_log.h"

namespace sluice {

using rpc::ReceivedBlockInfo;

// What a restarted driver takes over from the log.
struct RecoveredBlocks {
  // Reported blocks that no batch took, in report order: the next batch gets them.
  std::vector<ReceivedBlockInfo> unallocated;
  // Every allocation still in the log (cleanup() drops old ones): batch time -> blocks.
  std::map<Time, std::vector<ReceivedBlockInfo>> allocations;
  std::set<Time> completed;
  // Allocated batches that did not complete, in time order: they are re-run.
  std::vector<Time> incompleteBatches() const;
};

class BlockMetadataLog {
 public:
  // Opens (creating) the log in dir with options (wal.fsync, options.fs, ...). Records are
  // stamped with clock's time (cleanup() compares against it); null means the system clock.
  // clock, if given, must outlive the log.
  static StatusOr<std::unique_ptr<BlockMetadataLog>> open(const std::string& dir, wal::WalOptions options,
                                                          const Clock* clock = nullptr);

  // Each returns once the event is durable under the WAL's fsync policy.
  Status blockAdded(const ReceivedBlockInfo& block);
  Status batchAllocated(Time t, const std::vector<ReceivedBlockInfo>& blocks);
  Status batchCompleted(Time t);

  // Reads the whole log (before the first write of this run).
  StatusOr<RecoveredBlocks> recover() const;

  // Drops whole segments whose events were all written before t (the clock's ms).
  void cleanup(Time t);

 private:
  BlockMetadataLog(std::unique_ptr<wal::WriteAheadLog> wal, const Clock* clock) : wal_(std::move(wal)), clock_(clock) {}
  Status append(int32_t kind, const std::vector<ReceivedBlockInfo>& blocks, Time t);

  std::unique_ptr<wal::WriteAheadLog> wal_;
  const Clock* clock_;  // null: SystemClock
};

}  // namespace sluice
