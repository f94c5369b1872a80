#include "scheduler/executor_exclusion.h"

#include "common/config_keys.h"

#include <spdlog/spdlog.h>

namespace sluice {

ExecutorExclusion::ExecutorExclusion(const Conf& conf, Clock& clock)
    : enabled_(conf.get(keys::kExcludeOnFailureEnabled)),
      max_failures_(static_cast<int>(conf.get(keys::kExcludeOnFailureMaxFailedTasksPerExecutor))),
      timeout_ms_(conf.get(keys::kExcludeOnFailureTimeout).count()),
      clock_(clock) {}

bool ExecutorExclusion::taskFailed(const std::string& executor_id, int usable) {
  if (!enabled_ || isExcluded(executor_id)) return false;
  int n = ++failures_[executor_id];
  if (n < max_failures_) return false;
  if (usable <= 1) {
    spdlog::warn("executor {} failed {} tasks but is the last usable executor: not excluding it", executor_id, n);
    return false;
  }
  failures_.erase(executor_id);
  excluded_until_[executor_id] = clock_.nowMs() + timeout_ms_;
  spdlog::warn("excluding executor {} for {} ms: {} tasks failed on it (excludeOnFailure)", executor_id, timeout_ms_,
               n);
  return true;
}

std::vector<std::string> ExecutorExclusion::expire() {
  std::vector<std::string> back;
  int64_t now = clock_.nowMs();
  for (auto it = excluded_until_.begin(); it != excluded_until_.end();) {
    if (now >= it->second) {
      spdlog::info("executor {} is no longer excluded", it->first);
      back.push_back(it->first);
      it = excluded_until_.erase(it);
    } else {
      ++it;
    }
  }
  return back;
}

void ExecutorExclusion::executorRemoved(const std::string& executor_id) {
  failures_.erase(executor_id);
  excluded_until_.erase(executor_id);
}

}  // namespace sluice
