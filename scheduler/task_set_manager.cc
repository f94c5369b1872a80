#include "scheduler/task_set_manager.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"

namespace sluice {

TaskSetConfig TaskSetConfig::fromConf(const Conf& conf) {
  TaskSetConfig c;
  c.max_failures = std::max<int>(1, static_cast<int>(conf.get(keys::kTaskMaxFailures)));
  c.waits = LocalityWaits::fromConf(conf);
  c.retry_elsewhere_wait_ms = conf.get(keys::kTaskRetryElsewhereWait).count();
  c.speculation_multiplier = conf.get(keys::kSpeculationMultiplier);
  c.speculation_quantile = conf.get(keys::kSpeculationQuantile);
  return c;
}

TaskSetManager::TaskSetManager(std::shared_ptr<const TaskSet> task_set, TaskSetConfig config, Clock& clock)
    : task_set_(std::move(task_set)), config_(config), clock_(clock), name_("TaskSet_" + task_set_->name()) {
  config_.max_failures = std::max(1, config_.max_failures);
  if (int64_t cap = task_set_->placement.locality_wait_max_ms; cap >= 0) {
    config_.waits.process_ms = std::min(config_.waits.process_ms, cap);
    config_.waits.node_ms = std::min(config_.waits.node_ms, cap);
  }
  size_t n = task_set_->partitions.size();
  waiting_.assign(n, true);
  num_waiting_ = static_cast<int>(n);
  done_.assign(n, false);
  failures_.assign(n, 0);
  attempts_.assign(n, 0);
  copies_running_.assign(n, 0);
  failed_on_.resize(n);
  for (size_t i = 0; i < n; ++i) pending_.add(static_cast<int>(i), prefs(static_cast<int>(i)));
  if (n == 0) zombie_ = true;
  last_launch_ms_ = clock_.nowMs();
}

const std::vector<std::string>& TaskSetManager::prefs(int index) const {
  static const std::vector<std::string> kNone;
  return task_set_->preferred.empty() ? kNone : task_set_->preferred[index];
}

void TaskSetManager::executorsChanged(const std::map<std::string, std::string>& executors) {
  executors_ = executors;
  TaskLocality previous = levels_[level_index_];
  std::set<std::string> hosts;
  for (const auto& [id, host] : executors_) hosts.insert(host);
  levels_.clear();
  bool process = std::any_of(pending_.for_executor.begin(), pending_.for_executor.end(),
                             [&](const auto& kv) { return executors_.count(kv.first) > 0; });
  bool node = std::any_of(pending_.for_host.begin(), pending_.for_host.end(),
                          [&](const auto& kv) { return hosts.count(kv.first) > 0; });
  if (process) levels_.push_back(TaskLocality::kProcessLocal);
  if (node) levels_.push_back(TaskLocality::kNodeLocal);
  if (!pending_.no_prefs.empty()) levels_.push_back(TaskLocality::kNoPref);
  levels_.push_back(TaskLocality::kAny);
  // The first executors start the timer at the best level; later changes keep the level.
  level_index_ = levels_known_ ? static_cast<size_t>(levelIndexOf(previous)) : 0;
  levels_known_ = !executors_.empty();
}

int TaskSetManager::levelIndexOf(TaskLocality level) const {
  size_t i = 0;
  while (i + 1 < levels_.size() && level > levels_[i]) ++i;
  return static_cast<int>(i);
}

bool TaskSetManager::hasWaitingAt(TaskLocality level) {
  auto w = [this](int index) { return waiting(index); };
  switch (level) {
    case TaskLocality::kProcessLocal:
      for (auto& [exec, list] : pending_.for_executor) {
        if (executors_.count(exec) && PendingTasks::anyWaiting(list, w)) return true;
      }
      return false;
    case TaskLocality::kNodeLocal:
      for (const auto& [exec, host] : executors_) {
        auto it = pending_.for_host.find(host);
        if (it != pending_.for_host.end() && PendingTasks::anyWaiting(it->second, w)) return true;
      }
      return false;
    case TaskLocality::kNoPref:
      return PendingTasks::anyWaiting(pending_.no_prefs, w);
    case TaskLocality::kAny:
      return PendingTasks::anyWaiting(pending_.all, w);
  }
  return false;
}

TaskLocality TaskSetManager::allowedLocality() {
  int64_t now = clock_.nowMs();
  while (level_index_ + 1 < levels_.size()) {
    TaskLocality level = levels_[level_index_];
    int64_t wait = config_.waits.at(level);
    if (!hasWaitingAt(level)) {
      last_launch_ms_ = now;
      ++level_index_;
    } else if (now - last_launch_ms_ >= wait) {
      spdlog::debug("{}: no launch at {} for {} ms; allowing {}", name_, localityName(level), wait,
                    localityName(levels_[level_index_ + 1]));
      last_launch_ms_ += wait;
      ++level_index_;
    } else {
      return level;
    }
  }
  return levels_[level_index_];
}

bool TaskSetManager::mayRunOn(int index, const std::string& executor_id) const {
  const auto& failed = failed_on_[index];
  auto it = failed.find(executor_id);
  if (it == failed.end()) return true;
  if (clock_.nowMs() - it->second >= config_.retry_elsewhere_wait_ms) return true;
  // Avoid the executor while another live executor has not failed this task.
  return std::all_of(executors_.begin(), executors_.end(),
                     [&](const auto& kv) { return failed.count(kv.first) > 0; });
}

std::optional<TaskSetManager::Chosen> TaskSetManager::dequeue(const std::string& executor_id,
                                                              const std::string& host, TaskLocality allowed) {
  auto w = [this](int index) { return waiting(index); };
  auto ok = [&](int index) { return mayRunOn(index, executor_id); };
  if (auto it = pending_.for_executor.find(executor_id); it != pending_.for_executor.end()) {
    if (auto i = PendingTasks::take(it->second, w, ok)) return Chosen{*i, TaskLocality::kProcessLocal, false};
  }
  if (allowed >= TaskLocality::kNodeLocal) {
    if (auto it = pending_.for_host.find(host); it != pending_.for_host.end()) {
      if (auto i = PendingTasks::take(it->second, w, ok)) return Chosen{*i, TaskLocality::kNodeLocal, false};
    }
  }
  // Waiting cannot make a task without preferences more local: it launches at once.
  if (auto i = PendingTasks::take(pending_.no_prefs, w, ok)) return Chosen{*i, TaskLocality::kNoPref, false};
  if (allowed >= TaskLocality::kAny) {
    if (auto i = PendingTasks::take(pending_.all, w, ok)) {
      return Chosen{*i, localityOf(prefs(*i), executor_id, host), false};
    }
  }
  return std::nullopt;
}

std::optional<TaskDescription> TaskSetManager::resourceOffer(const std::string& executor_id, const std::string& host,
                                                             TaskLocality max_locality, int64_t task_id) {
  if (zombie_) return std::nullopt;
  TaskLocality allowed = std::min(allowedLocality(), max_locality);
  auto chosen = dequeue(executor_id, host, allowed);
  if (!chosen && max_locality == TaskLocality::kAny) {
    if (auto index = dequeueSpeculative(executor_id)) {
      chosen = Chosen{*index, localityOf(prefs(*index), executor_id, host), true};
    }
  }
  if (!chosen) return std::nullopt;
  int index = chosen->index;
  int64_t now = clock_.nowMs();
  setWaiting(index, false);
  ++copies_running_[index];
  TaskDescription desc;
  desc.task_id = task_id;
  desc.stage_id = task_set_->stage_id;
  desc.stage_attempt = task_set_->stage_attempt;
  desc.partition = task_set_->partitions[index];
  desc.attempt = attempts_[index]++;
  desc.binary = task_set_->binary;
  desc.locality = chosen->locality;
  desc.speculative = chosen->speculative;
  desc.launch_nanos = monotonicNanos();
  running_[task_id] = {desc, executor_id, host, now, index};
  if (chosen->locality != TaskLocality::kNoPref && !chosen->speculative) {
    level_index_ = static_cast<size_t>(levelIndexOf(chosen->locality));
    last_launch_ms_ = now;
  }
  if (spdlog::should_log(spdlog::level::debug)) {
    std::string where;
    for (const auto& p : prefs(index)) where += (where.empty() ? "" : ",") + p;
    spdlog::debug("{}: task {} (partition {}, attempt {}) on executor {} ({}): {}{}; allowed {}, prefers [{}]", name_,
                  task_id, desc.partition, desc.attempt, executor_id, host, localityName(desc.locality),
                  desc.speculative ? " speculative copy" : "", localityName(allowed), where);
  }
  return desc;
}

int TaskSetManager::partitionOf(int64_t task_id) const {
  auto it = running_.find(task_id);
  return it == running_.end() ? -1 : it->second.desc.partition;
}

const std::string& TaskSetManager::executorOf(int64_t task_id) const {
  static const std::string kNone;
  auto it = running_.find(task_id);
  return it == running_.end() ? kNone : it->second.executor_id;
}

std::optional<TaskDescription> TaskSetManager::launched(int64_t task_id) const {
  auto it = running_.find(task_id);
  if (it == running_.end()) return std::nullopt;
  return it->second.desc;
}

}  // namespace sluice
