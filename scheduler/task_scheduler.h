// TaskScheduler: takes the DAGScheduler's task sets, places their tasks on free executor
// cores in the order of its SchedulingPolicy, retries failed tasks through each
// TaskSetManager, and reports task ends and executor losses to its listener.
//
// THREADING: every public method is thread-safe (one mutex, as Spark's synchronized
// TaskSchedulerImpl). Listener callbacks are made without the lock held.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/conf.h"
#include "scheduler/scheduler_backend.h"
#include "scheduler/scheduling_policy.h"
#include "scheduler/task_set_manager.h"

namespace sluice {

struct ExecutorInfo {
  std::string id;
  std::string host;
  std::string endpoint;
  int cores = 1;
  int free_cores = 1;
};

class TaskScheduler {
 public:
  TaskScheduler(const Conf& conf, SchedulerBackend* backend, TaskSchedulerListener* listener,
                std::unique_ptr<SchedulingPolicy> policy = std::make_unique<FifoPolicy>());

  void submitTasks(std::shared_ptr<const TaskSet> task_set);
  // Stops launching tasks of the stage's attempts (e.g. after a fetch failure).
  void cancelStage(int stage_id);
  void statusUpdate(rpc::TaskStatus status);
  void executorAdded(ExecutorInfo info);
  // Re-queues the executor's running tasks and tells the listener. Idempotent.
  void executorLost(const std::string& executor_id, const std::string& reason);

  std::vector<ExecutorInfo> executors() const;
  int totalCores() const;
  int64_t tasksLaunched() const;

 private:
  // Offers every free core to the task sets, in policy order. Lock held.
  void makeOffersLocked();
  TaskSetManager* managerOfLocked(int64_t task_id);
  void dropFinishedLocked();

  int max_failures_;
  SchedulerBackend* backend_;
  TaskSchedulerListener* listener_;
  std::unique_ptr<SchedulingPolicy> policy_;

  mutable std::mutex mu_;
  std::map<std::string, ExecutorInfo> executors_;
  std::vector<std::unique_ptr<TaskSetManager>> managers_;
  std::map<int64_t, TaskSetManager*> task_owner_;
  int64_t next_task_id_ = 0;
};

}  // namespace sluice
