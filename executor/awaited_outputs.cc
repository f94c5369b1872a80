#include "executor/awaited_outputs.h"

namespace sluice {

AwaitedOutputs::Outputs AwaitedOutputs::stageArrived(Key key, const std::vector<int32_t>& awaited) {
  Outputs came;
  if (auto it = early_.find(key); it != early_.end()) {
    came = std::move(it->second);
    early_.erase(it);
  }
  std::set<int> missing;
  for (int shuffle : awaited) {
    if (!came.count(shuffle)) missing.insert(shuffle);
  }
  if (!missing.empty()) missing_[key] = std::move(missing);
  return came;
}

bool AwaitedOutputs::hold(rpc::LaunchTask& task) {
  Key key{task.stage_id, task.stage_attempt};
  if (!missing_.count(key)) return false;
  held_[key].push_back(std::move(task));
  return true;
}

std::vector<rpc::LaunchTask> AwaitedOutputs::outputsArrived(Key key, int shuffle_id,
                                                            std::vector<rpc::MapLocation>& outputs, bool* known) {
  auto it = missing_.find(key);
  *known = it != missing_.end();
  if (!*known) {
    // Before the binary, or for a stage whose binary awaited nothing more (then unused).
    early_[key][shuffle_id] = std::move(outputs);
    return {};
  }
  it->second.erase(shuffle_id);
  if (!it->second.empty()) return {};
  missing_.erase(it);
  std::vector<rpc::LaunchTask> ready;
  if (auto held = held_.find(key); held != held_.end()) {
    ready = std::move(held->second);
    held_.erase(held);
  }
  return ready;
}

std::optional<rpc::LaunchTask> AwaitedOutputs::remove(int64_t task_id) {
  for (auto& [key, tasks] : held_) {
    for (auto it = tasks.begin(); it != tasks.end(); ++it) {
      if (it->task_id != task_id) continue;
      rpc::LaunchTask task = std::move(*it);
      tasks.erase(it);
      return task;
    }
  }
  return std::nullopt;
}

void AwaitedOutputs::release(Key key) {
  missing_.erase(key);
  early_.erase(key);
  held_.erase(key);
}

}  // namespace sluice
