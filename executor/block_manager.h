// BlockManager: an executor's blocks — cached RDD partitions (typed objects), shuffle map
// outputs (bytes, in memory up to a limit and spilled to local disk beyond it), and
// received stream blocks. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "executor/removed_ids.h"

namespace sluice {

class BlockManager {
 public:
  // spill_dir is created on first spill. memory_limit bounds in-memory shuffle output.
  BlockManager(std::string spill_dir, int64_t memory_limit);
  // Deletes every spill file and the spill dir itself.
  ~BlockManager();
  // Applies to the shuffle outputs stored from now on.
  void setMemoryLimit(int64_t memory_limit);

  std::shared_ptr<const void> getPartition(int rdd_id, int split);
  // Caches a partition, unless its RDD was removed already (removeRdd): then it is
  // dropped, so that a late task cannot bring back what the driver unpersisted.
  void putPartition(int rdd_id, int split, std::shared_ptr<const void> data, int64_t size);

  // Stores one map task's buckets, replacing an earlier attempt's. Spills when the memory
  // limit would be exceeded; a failed spill is an IoError and nothing is stored. The
  // output of a shuffle removed already (removeShuffle) is dropped and Ok returned.
  Status putShuffleOutput(int shuffle_id, int map_id, std::vector<std::string> buckets);
  bool hasShuffleOutput(int shuffle_id, int map_id);
  // The bucket (possibly empty), or NotFound when this map output is not here.
  StatusOr<std::string> getShuffleBucket(int shuffle_id, int map_id, int reduce_id);

  void putBlock(const std::string& block_id, std::shared_ptr<const std::string> data);
  std::shared_ptr<const std::string> getBlock(const std::string& block_id);
  void removeBlock(const std::string& block_id);

  // Removes the shuffle's outputs / the RDD's cached partitions, and refuses them from
  // then on (see executor/removed_ids.h).
  void removeShuffle(int shuffle_id);
  void removeRdd(int rdd_id);

  int64_t memoryUsed() const;
  int64_t bytesSpilled() const;

 private:
  struct ShuffleOutput {
    std::vector<std::string> buckets;  // in memory, or empty when spilled
    std::string spill_path;            // set when spilled
    std::vector<int64_t> offsets;      // spilled: bucket i is [offsets[i], offsets[i+1])
    int64_t bytes = 0;
  };
  void dropOutput(const ShuffleOutput& out);

  mutable std::mutex mu_;
  std::string spill_dir_;
  int64_t memory_limit_;
  int64_t memory_used_ = 0;
  int64_t bytes_spilled_ = 0;
  std::map<std::pair<int, int>, std::shared_ptr<const void>> partitions_;
  std::map<std::pair<int, int>, ShuffleOutput> shuffle_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> blocks_;
  RemovedIds removed_rdds_;
  RemovedIds removed_shuffles_;
};

}  // namespace sluice
