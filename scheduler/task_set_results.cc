// TaskSetManager: the ends of tasks (success, failure, lost executor) and speculation.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "scheduler/task_set_manager.h"

namespace sluice {

void TaskSetManager::setWaiting(int index, bool waiting) {
  if (waiting_[index] != waiting) num_waiting_ += waiting ? 1 : -1;
  waiting_[index] = waiting;
}

std::vector<KillOrder> TaskSetManager::runningAttempts() const {
  std::vector<KillOrder> out;
  for (const auto& [task_id, run] : running_) out.push_back({task_id, run.executor_id});
  return out;
}

void TaskSetManager::requeue(int index) {
  setWaiting(index, true);
  pending_.add(index, prefs(index));
}

bool TaskSetManager::handleSuccess(int64_t task_id, std::vector<KillOrder>* kill) {
  auto it = running_.find(task_id);
  if (it == running_.end()) return false;
  int index = it->second.index;
  int64_t duration = clock_.nowMs() - it->second.launch_ms;
  running_.erase(it);
  --copies_running_[index];
  if (done_[index]) return false;
  done_[index] = true;
  setWaiting(index, false);
  speculatable_.erase(index);
  success_durations_ms_.push_back(duration);
  // Only a speculated task has other copies running: no scan of running_ per success.
  for (auto other = copies_running_[index] > 0 ? running_.begin() : running_.end(); other != running_.end(); ++other) {
    const auto& [other_id, run] = *other;
    if (run.index != index) continue;
    spdlog::info("{}: killing attempt {} of partition {} on executor {}: another attempt succeeded", name_, other_id,
                 run.desc.partition, run.executor_id);
    if (kill) kill->push_back({other_id, run.executor_id});
  }
  if (++num_done_ == static_cast<int>(done_.size())) zombie_ = true;
  return true;
}

std::string TaskSetManager::lostTaskMessage(int64_t task_id, const Running& run, const std::string& error) const {
  // Spark names a task by its index in the set; the partition is the same number except in
  // a job over some of an RDD's partitions, and it is what the rest of Sluice's log says.
  return "Lost task " + std::to_string(run.desc.partition) + "." + std::to_string(run.desc.attempt) + " in stage " +
         task_set_->name() + " (TID " + std::to_string(task_id) + ") (" + run.host + " executor " + run.executor_id +
         "): " + error;
}

std::optional<std::string> TaskSetManager::handleFailure(int64_t task_id, const std::string& error,
                                                         TaskFailure kind) {
  auto it = running_.find(task_id);
  if (it == running_.end()) return std::nullopt;
  int index = it->second.index;
  std::string executor_id = it->second.executor_id;
  std::string lost = lostTaskMessage(task_id, it->second, error);
  running_.erase(it);
  --copies_running_[index];
  // A killed attempt was stopped on purpose (its copy succeeded): not a failure (Spark logs it at info).
  spdlog::log(kind == TaskFailure::kKilled ? spdlog::level::info : spdlog::level::warn, "{}", lost);
  if (done_[index] || zombie_) return std::nullopt;
  if (kind == TaskFailure::kFailed) {
    failed_on_[index][executor_id] = clock_.nowMs();
    if (++failures_[index] >= config_.max_failures) {
      zombie_ = true;
      return "Task " + std::to_string(task_set_->partitions[index]) + " in stage " + task_set_->name() + " failed " +
             std::to_string(failures_[index]) + " times, most recent failure: " + lost;
    }
  }
  // A copy still running may yet succeed; otherwise the task waits again.
  if (copies_running_[index] == 0 && !waiting_[index]) requeue(index);
  return std::nullopt;
}

std::vector<int64_t> TaskSetManager::executorLost(const std::string& executor_id, const std::string& reason) {
  std::vector<int64_t> lost;
  for (auto& [task_id, run] : running_) {
    if (run.executor_id == executor_id) lost.push_back(task_id);
  }
  for (int64_t task_id : lost) {
    handleFailure(task_id, "executor " + executor_id + " lost: " + reason, TaskFailure::kExecutorLost);
  }
  return lost;
}

std::optional<int> TaskSetManager::dequeueSpeculative(const std::string& executor_id) {
  for (int index : speculatable_) {
    if (done_[index] || copies_running_[index] != 1) continue;
    bool here = std::any_of(running_.begin(), running_.end(), [&](const auto& kv) {
      return kv.second.executor_id == executor_id && kv.second.index == index;
    });
    if (here) continue;
    speculatable_.erase(index);
    return index;
  }
  return std::nullopt;
}

bool TaskSetManager::checkSpeculatableTasks(int64_t min_runtime_ms) {
  int n = static_cast<int>(done_.size());
  if (zombie_ || n == 0) return false;
  int min_finished = std::max(1, static_cast<int>(config_.speculation_quantile * n));
  if (num_done_ < min_finished) return false;
  std::vector<int64_t> d = success_durations_ms_;
  std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
  int64_t median = d[d.size() / 2];
  auto threshold = std::max<int64_t>(static_cast<int64_t>(config_.speculation_multiplier * static_cast<double>(median)),
                                     min_runtime_ms);
  int64_t now = clock_.nowMs();
  bool added = false;
  for (const auto& [task_id, run] : running_) {
    int index = run.index;
    if (done_[index] || copies_running_[index] != 1 || speculatable_.count(index)) continue;
    if (now - run.launch_ms <= threshold) continue;
    spdlog::info("{}: task {} (partition {}) on executor {} has run {} ms, over {} ms ({}x the median {} ms): "
                 "speculating it",
                 name_, task_id, run.desc.partition, run.executor_id, now - run.launch_ms, threshold,
                 config_.speculation_multiplier, median);
    speculatable_.insert(index);
    added = true;
  }
  return added;
}

}  // namespace sluice
