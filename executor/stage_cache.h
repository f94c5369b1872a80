// StageCache: the stages an executor runs tasks of, by (stage id, attempt). A stage's
// binary (its lineage and shuffle inputs) comes with the first task the executor gets of
// it; it is decoded once, by the first task that runs, and kept until the driver releases
// the stage (ReleaseStage).
//
// THREADING: thread-safe. addBinary() and release() run on the transport's I/O thread,
// get() on task threads; a lineage is decoded under the cache's lock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "common/status.h"
#include "rdd/node.h"
#include "rpc/executor_messages.h"

namespace sluice {

class StageCache {
 public:
  struct Stage {
    rpc::StageBinary binary;
    std::shared_ptr<Node> root;  // a ShuffleDependency (map stage) or an RDD (result stage)
  };

  // Keeps the binary of a stage not decoded yet; a stage already decoded keeps its own.
  void addBinary(int stage_id, int attempt, const rpc::StageBinary& binary);
  // The decoded stage of task; an error when the executor never got its binary (or it was
  // released) or its lineage does not decode.
  StatusOr<std::shared_ptr<const Stage>> get(const rpc::LaunchTask& task);
  // Sets the map outputs of one shuffle the stage reads (a pre-scheduled stage's, known
  // after its launch). A stage already decoded is replaced by a copy, so tasks running
  // with the old one are not disturbed. No effect when the executor has no such stage.
  void setShuffleInput(int stage_id, int attempt, int shuffle_id, std::vector<rpc::MapLocation> outputs);
  void release(int stage_id, int attempt);

 private:
  using Key = std::pair<int, int>;
  std::mutex mu_;
  std::map<Key, std::shared_ptr<const Stage>> stages_;
  std::map<Key, rpc::StageBinary> binaries_;  // received, not decoded yet
};

}  // namespace sluice
