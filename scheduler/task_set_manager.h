// TaskSetManager: the life of one TaskSet inside the TaskScheduler — which tasks are still
// pending, which run where, how often each partition failed — and the placement of tasks
// on offered executors.
//
// THREADING: not thread-safe; the TaskScheduler calls it under its own lock.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/task_set.h"

namespace sluice {

class TaskSetManager {
 public:
  TaskSetManager(std::shared_ptr<const TaskSet> task_set, int max_failures);

  const TaskSet& taskSet() const { return *task_set_; }
  // A zombie launches nothing more; it only waits for its running tasks to end.
  bool isZombie() const { return zombie_; }
  void markZombie() { zombie_ = true; }
  int runningTasks() const { return static_cast<int>(running_.size()); }
  bool finished() const { return zombie_ && running_.empty(); }

  // A task to run on executor_id (on host), or nothing. Prefers tasks whose preferred
  // locations name this executor or host.
  std::optional<TaskDescription> resourceOffer(const std::string& executor_id, const std::string& host,
                                               int64_t task_id);

  // Which task index the id belongs to, if it runs here.
  bool owns(int64_t task_id) const { return running_.count(task_id) > 0; }
  // Records a success. Returns false for a duplicate (a partition already done).
  bool handleSuccess(int64_t task_id);
  // Records a failure and re-queues the partition. Returns an abort message when the
  // partition has now failed max_failures times (the task set is then a zombie).
  std::optional<std::string> handleFailure(int64_t task_id, const std::string& error, bool counts);
  // Re-queues the tasks running on a lost executor; they do not count as failures.
  std::vector<int64_t> executorLost(const std::string& executor_id);

  int partitionOf(int64_t task_id) const;
  const std::string& executorOf(int64_t task_id) const;

 private:
  struct Running {
    int index;
    std::string executor_id;
  };
  std::shared_ptr<const TaskSet> task_set_;
  int max_failures_;
  bool zombie_ = false;
  std::deque<int> pending_;
  std::vector<bool> done_;
  std::vector<int> failures_;
  std::vector<int> attempts_;
  int num_done_ = 0;
  std::map<int64_t, Running> running_;
};

}  // namespace sluice
