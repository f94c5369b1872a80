// TaskSetManager: the life of one TaskSet inside the TaskScheduler (Spark's TaskSetManager):
// which tasks still wait, which run where, how often each failed, and where to place the
// next one.
//
// Placement is delay scheduling. The manager keeps the locality levels its pending tasks
// can reach (PROCESS_LOCAL, NODE_LOCAL, NO_PREF, ANY, skipping levels no pending task
// has) and a current level. An offer at a level worse than the current one is refused
// until the current level has gone `wait` ms without a launch; then the level relaxes one
// step. A level with no pending tasks is skipped at once. Launching a task at a level
// makes it the current level again (a PROCESS_LOCAL launch resets to PROCESS_LOCAL).
// Tasks without a preference launch at once at any level. The task set's
// placement.locality_wait_max_ms caps every wait (streaming batches); executors the
// TaskScheduler leaves out of executorsChanged() (every core held by a long-running task)
// are not waited for.
//
// Retries: a failed task waits again, avoiding the executors it failed on (for
// `task.retryElsewhere.wait`, while an executor it has not failed on is alive); the set
// aborts when one task failed `task.maxFailures` times. Every attempt that ends without
// success is logged as Spark logs it, `Lost task 1.0 in stage 0.0 (TID 3) (127.0.0.2
// executor 1): <reason>` (task = partition.attempt), at WARN, or at INFO when it was
// killed; the abort message ends with the last such line.
//
// Speculation: checkSpeculatableTasks() marks tasks running longer than multiplier x the
// median successful duration (once quantile of the tasks succeeded) for a copy on another
// executor; the first copy to succeed wins and the others are returned to be killed.
//
// THREADING: not thread-safe; the TaskScheduler calls it under its own lock. The clock
// must outlive the manager.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "scheduler/pending_tasks.h"
#include "scheduler/schedulable.h"
#include "scheduler/task_locality.h"
#include "scheduler/task_set.h"

namespace sluice {

struct TaskSetConfig {
  int max_failures = 4;
  LocalityWaits waits;
  int64_t retry_elsewhere_wait_ms = 3000;
  double speculation_multiplier = 1.5;
  double speculation_quantile = 0.75;

  static TaskSetConfig fromConf(const Conf& conf);
};

// How a task attempt ended without success.
enum class TaskFailure {
  kFailed,        // the task threw: counts toward task.maxFailures
  kFetchFailed,   // it could not read a map output (the DAGScheduler resubmits the map stage)
  kExecutorLost,  // its executor went away
  kKilled,        // the scheduler stopped it (another copy succeeded): not a failure
};

// A running attempt that must be stopped (another copy of its task succeeded).
struct KillOrder {
  int64_t task_id;
  std::string executor_id;
};

class TaskSetManager : public Schedulable {
 public:
  TaskSetManager(std::shared_ptr<const TaskSet> task_set, TaskSetConfig config, Clock& clock);

  const TaskSet& taskSet() const { return *task_set_; }
  // A zombie launches nothing more; it only waits for its running tasks to end.
  bool isZombie() const { return zombie_; }
  void markZombie() { zombie_ = true; }
  bool finished() const { return zombie_ && running_.empty(); }

  // Schedulable: weight 1, minShare 0, FIFO keys (job id, stage id).
  const std::string& name() const override { return name_; }
  int weight() const override { return 1; }
  int minShare() const override { return 0; }
  int runningTasks() const override { return static_cast<int>(running_.size()); }
  int priority() const override { return task_set_->job_id; }
  int stageId() const override { return task_set_->stage_id; }

  // The executors that can run a task (id -> host); recomputes the valid locality levels:
  // a level whose preferred executors or hosts are all missing here is skipped.
  void executorsChanged(const std::map<std::string, std::string>& executors);
  // The waits per level, after the task set's cap.
  const LocalityWaits& localityWaits() const { return config_.waits; }
  // The levels offers should be made at, best first; ANY is always last.
  const std::vector<TaskLocality>& localityLevels() const { return levels_; }
  // The level the delay timer allows now (advancing it if waits have passed).
  TaskLocality allowedLocality();

  // A task to run on executor_id at host, placed no worse than max_locality and than the
  // delay timer allows, or nothing.
  std::optional<TaskDescription> resourceOffer(const std::string& executor_id, const std::string& host,
                                               TaskLocality max_locality, int64_t task_id);
  std::optional<TaskDescription> resourceOffer(const std::string& executor_id, const std::string& host,
                                               int64_t task_id) {
    return resourceOffer(executor_id, host, TaskLocality::kAny, task_id);
  }

  // Records a success. Returns false for a duplicate (the task succeeded already); the
  // other running copies of the task are appended to kill.
  bool handleSuccess(int64_t task_id, std::vector<KillOrder>* kill = nullptr);
  // Records the end of an attempt that did not succeed, logs it (see the class comment)
  // and re-queues the task. Only kFailed counts toward max_failures; returns an abort
  // message when the task has now failed max_failures times (the set is then a zombie).
  std::optional<std::string> handleFailure(int64_t task_id, const std::string& error, TaskFailure kind);
  // Re-queues the tasks running on a lost executor (reason: why it was lost); they do not
  // count as failures.
  std::vector<int64_t> executorLost(const std::string& executor_id, const std::string& reason);

  // Marks stragglers for speculation (see the class comment); true when one was added.
  // min_runtime_ms: no task is speculated before it ran this long.
  bool checkSpeculatableTasks(int64_t min_runtime_ms);
  int speculatableCount() const { return static_cast<int>(speculatable_.size()); }

  bool owns(int64_t task_id) const { return running_.count(task_id) > 0; }
  // Every task has been launched (none waits for a launch now; a failed one may again).
  bool allLaunched() const { return num_waiting_ == 0; }
  // The attempts running now (or launched and not ended), by task id.
  std::vector<KillOrder> runningAttempts() const;
  // Tasks that succeeded (each partition once).
  int numSucceeded() const { return num_done_; }
  int partitionOf(int64_t task_id) const;
  const std::string& executorOf(int64_t task_id) const;
  // The launch of a running task, for its TaskEnd.
  std::optional<TaskDescription> launched(int64_t task_id) const;

 private:
  struct Running {
    TaskDescription desc;
    std::string executor_id;
    std::string host;
    int64_t launch_ms = 0;
    int index = 0;
  };
  struct Chosen {
    int index;
    TaskLocality locality;
    bool speculative;
  };
  bool waiting(int index) const { return waiting_[index]; }
  void setWaiting(int index, bool waiting);  // keeps num_waiting_
  bool mayRunOn(int index, const std::string& executor_id) const;
  // Prunes launched indexes from the lists it reads (PendingTasks::anyWaiting).
  bool hasWaitingAt(TaskLocality level);
  int levelIndexOf(TaskLocality level) const;
  std::optional<Chosen> dequeue(const std::string& executor_id, const std::string& host, TaskLocality allowed);
  std::optional<int> dequeueSpeculative(const std::string& executor_id);
  void requeue(int index);
  // "Lost task 1.0 in stage 0.0 (TID 3) (host executor 1): error".
  std::string lostTaskMessage(int64_t task_id, const Running& run, const std::string& error) const;
  const std::vector<std::string>& prefs(int index) const;

  std::shared_ptr<const TaskSet> task_set_;
  TaskSetConfig config_;
  Clock& clock_;
  std::string name_;
  bool zombie_ = false;

  PendingTasks pending_;
  std::vector<bool> waiting_;   // index -> waits for a launch
  int num_waiting_ = 0;         // how many are true in waiting_
  std::vector<bool> done_;      // index -> succeeded
  std::vector<int> failures_;
  std::vector<int> attempts_;
  std::vector<int> copies_running_;
  std::vector<std::map<std::string, int64_t>> failed_on_;  // index -> executor -> failure time
  int num_done_ = 0;
  std::map<int64_t, Running> running_;
  std::map<std::string, std::string> executors_;  // live: id -> host

  std::vector<TaskLocality> levels_{TaskLocality::kAny};
  size_t level_index_ = 0;
  bool levels_known_ = false;  // executorsChanged() was called
  int64_t last_launch_ms_ = 0;

  std::set<int> speculatable_;
  std::vector<int64_t> success_durations_ms_;
};

}  // namespace sluice
