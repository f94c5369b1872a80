// ReceiverTracker: the driver's record of received blocks (Spark's ReceiverTracker and
// ReceivedBlockTracker). Receivers report each stored block; at every batch time the
// blocks received since the previous batch are allocated to that batch, one RDD
// partition per block.
//
// THREADING: thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "driver/duration.h"

namespace sluice {

struct ReceivedBlockInfo {
  int stream_id = 0;
  std::string block_id;
  std::string executor_id;
  std::string endpoint;  // the holding executor's block server
  std::string host;
  int64_t num_records = 0;
};

class ReceiverTracker {
 public:
  void addBlock(ReceivedBlockInfo block);
  // Moves every unallocated block to batch t. Idempotent per t.
  void allocateBlocksToBatch(Time t);
  std::vector<ReceivedBlockInfo> blocksOfBatch(Time t, int stream_id) const;
  // Forgets allocations of batches up to t.
  void cleanupBefore(Time t);
  bool hasUnallocatedBlocks() const;

 private:
  mutable std::mutex mu_;
  std::map<int, std::deque<ReceivedBlockInfo>> unallocated_;
  std::map<Time, std::map<int, std::vector<ReceivedBlockInfo>>> allocated_;
};

}  // namespace sluice
