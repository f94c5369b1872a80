// ExecutorExclusion: excludeOnFailure (Spark's HealthTracker, application level). With
// `excludeOnFailure.enabled=true`, an executor on which
// `excludeOnFailure.maxFailedTasksPerExecutor` (2) tasks failed gets no tasks for
// `excludeOnFailure.timeout` (1h). Only task errors count; lost executors and killed copies
// do not. The last usable executor is never excluded (the job could not progress).
//
// THREADING: not thread-safe; used under the TaskScheduler's lock. The clock must outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/conf.h"

namespace sluice {

class ExecutorExclusion {
 public:
  ExecutorExclusion(const Conf& conf, Clock& clock);

  // A task failed on executor_id; usable is how many executors are not excluded now.
  // Returns true when the executor has just been excluded.
  bool taskFailed(const std::string& executor_id, int usable);
  bool isExcluded(const std::string& executor_id) const { return excluded_until_.count(executor_id) > 0; }
  // Ends the exclusions whose timeout passed; returns those executors.
  std::vector<std::string> expire();
  void executorRemoved(const std::string& executor_id);

 private:
  bool enabled_;
  int max_failures_;
  int64_t timeout_ms_;
  Clock& clock_;
  std::map<std::string, int> failures_;
  std::map<std::string, int64_t> excluded_until_;
};

}  // namespace sluice
