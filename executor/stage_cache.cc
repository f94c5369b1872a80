#include "executor/stage_cache.h"

#include <string>

#include "rdd/node.h"

namespace sluice {

void StageCache::addBinary(int stage_id, int attempt, const rpc::StageBinary& binary) {
  std::lock_guard<std::mutex> lock(mu_);
  Key key{stage_id, attempt};
  if (!stages_.count(key)) binaries_.emplace(key, binary);
}

StatusOr<std::shared_ptr<const StageCache::Stage>> StageCache::get(const rpc::LaunchTask& task) {
  std::lock_guard<std::mutex> lock(mu_);
  Key key{task.stage_id, task.stage_attempt};
  auto it = stages_.find(key);
  if (it != stages_.end()) return it->second;
  auto binary = binaries_.find(key);
  if (binary == binaries_.end()) {
    return Status::internal("task " + std::to_string(task.task_id) + " names stage " + std::to_string(task.stage_id) +
                            " which this executor does not have");
  }
  auto roots = decodeLineage(binary->second.lineage);
  if (!roots) return roots.status();
  auto stage = std::make_shared<Stage>();
  stage->binary = std::move(binary->second);
  stage->root = roots->front();
  binaries_.erase(binary);
  stages_[key] = stage;
  return std::shared_ptr<const Stage>(stage);
}

void StageCache::setShuffleInput(int stage_id, int attempt, int shuffle_id, std::vector<rpc::MapLocation> outputs) {
  std::lock_guard<std::mutex> lock(mu_);
  Key key{stage_id, attempt};
  if (auto binary = binaries_.find(key); binary != binaries_.end()) {
    binary->second.shuffle_inputs[shuffle_id] = std::move(outputs);
  } else if (auto it = stages_.find(key); it != stages_.end()) {
    auto copy = std::make_shared<Stage>(*it->second);
    copy->binary.shuffle_inputs[shuffle_id] = std::move(outputs);
    it->second = std::move(copy);
  }
}

void StageCache::release(int stage_id, int attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  stages_.erase({stage_id, attempt});
  binaries_.erase({stage_id, attempt});
}

}  // namespace sluice
