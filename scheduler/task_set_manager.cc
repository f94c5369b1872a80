#include "scheduler/task_set_manager.h"

#include <algorithm>

namespace sluice {

TaskSetManager::TaskSetManager(std::shared_ptr<const TaskSet> task_set, int max_failures)
    : task_set_(std::move(task_set)), max_failures_(std::max(1, max_failures)) {
  size_t n = task_set_->partitions.size();
  done_.assign(n, false);
  failures_.assign(n, 0);
  attempts_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) pending_.push_back(static_cast<int>(i));
  if (n == 0) zombie_ = true;
}

std::optional<TaskDescription> TaskSetManager::resourceOffer(const std::string& executor_id,
                                                             const std::string& host, int64_t task_id) {
  if (zombie_ || pending_.empty()) return std::nullopt;
  auto chosen = pending_.begin();
  if (!task_set_->preferred.empty()) {
    auto local = std::find_if(pending_.begin(), pending_.end(), [&](int index) {
      for (const auto& loc : task_set_->preferred[index]) {
        if (loc == "executor:" + executor_id || loc == host) return true;
      }
      return false;
    });
    if (local != pending_.end()) chosen = local;
  }
  int index = *chosen;
  pending_.erase(chosen);
  running_[task_id] = {index, executor_id};
  TaskDescription desc;
  desc.task_id = task_id;
  desc.stage_id = task_set_->stage_id;
  desc.stage_attempt = task_set_->stage_attempt;
  desc.partition = task_set_->partitions[index];
  desc.attempt = attempts_[index]++;
  desc.binary = task_set_->binary;
  return desc;
}

bool TaskSetManager::handleSuccess(int64_t task_id) {
  auto it = running_.find(task_id);
  if (it == running_.end()) return false;
  int index = it->second.index;
  running_.erase(it);
  if (done_[index]) return false;
  done_[index] = true;
  if (++num_done_ == static_cast<int>(done_.size())) zombie_ = true;
  return true;
}

std::optional<std::string> TaskSetManager::handleFailure(int64_t task_id, const std::string& error, bool counts) {
  auto it = running_.find(task_id);
  if (it == running_.end()) return std::nullopt;
  int index = it->second.index;
  running_.erase(it);
  if (done_[index] || zombie_) return std::nullopt;
  if (counts && ++failures_[index] >= max_failures_) {
    zombie_ = true;
    return "Task " + std::to_string(task_set_->partitions[index]) + " in stage " + task_set_->name() +
           " failed " + std::to_string(failures_[index]) + " times, most recent failure: " + error;
  }
  pending_.push_front(index);
  return std::nullopt;
}

std::vector<int64_t> TaskSetManager::executorLost(const std::string& executor_id) {
  std::vector<int64_t> lost;
  for (auto& [task_id, run] : running_) {
    if (run.executor_id == executor_id) lost.push_back(task_id);
  }
  for (int64_t task_id : lost) handleFailure(task_id, "executor " + executor_id + " lost", false);
  return lost;
}

int TaskSetManager::partitionOf(int64_t task_id) const {
  auto it = running_.find(task_id);
  return it == running_.end() ? -1 : task_set_->partitions[it->second.index];
}

const std::string& TaskSetManager::executorOf(int64_t task_id) const {
  static const std::string kNone;
  auto it = running_.find(task_id);
  return it == running_.end() ? kNone : it->second.executor_id;
}

}  // namespace sluice
