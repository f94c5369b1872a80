// TaskScheduler: takes the DAGScheduler's task sets, places their tasks on free executor
// cores, and reports task ends and executor losses to its listener (Spark's
// TaskSchedulerImpl).
//
// Order: task sets sit in a tree of pools (pool_builder.h); each free core goes to the
// first task set in the tree's FIFO/FAIR order that accepts it, offered first at its best
// locality level (delay scheduling, task_set_manager.h). Failed tasks are retried by their
// TaskSetManager; excludeOnFailure keeps tasks off executors that keep failing; with
// `speculation=true` stragglers get a copy elsewhere and the losing copy is killed.
//
// Long-running tasks (receivers, TaskSetPlacement::long_running) hold their core until
// stopped: an executor whose every core is held so can never run another task, so task
// sets do not wait for it (it is left out of their executors), and a WARN line says so
// once per executor; another says when receivers hold every core of the application.
//
// Pipelining: `scheduler.pipelineDepth` (d, default 1) tasks may be in flight per core that
// no long-running task holds, so that with d > 1 an executor has its next task queued when
// one ends and never waits for a round trip to the driver. d = 1 keeps Spark's meaning of a
// slot (a launched task is a running task). Free cores are filled before tasks queue behind
// busy ones; a long-running task launches only on an executor with a free core and nothing
// queued, so it never waits behind other tasks nor leaves one queued behind it.
//
// Pre-scheduled reducers (scheduler.preScheduleReducers): a reduce stage's task set may come
// before its map stage has finished (TaskSet::awaited_stage_ids); its tasks are launched
// once the map stage's are, executors hold them, and mapOutputsAvailable() forwards the map
// outputs to every executor that has some, so that they run without another launch.
//
// Batching: every task one offer round places on an executor goes to the backend in one
// launchTasks() call, and statusUpdates() takes the ends an executor reported together and
// makes one offer round for all of them.
//
// THREADING: every public method is thread-safe (one mutex, as Spark's synchronized
// TaskSchedulerImpl). Listener callbacks are made without the lock held; backend calls
// with it held. A background thread (start()) revives offers every
// `scheduler.revive.interval` (1s), or as often as the shortest locality wait of a task
// set when that is shorter, so that tasks waiting for locality launch when their wait ends
// (at most one such wait late), and checks for stragglers every `speculation.interval`
// (100ms).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "common/clock.h"
#include "common/conf.h"
#include "scheduler/cache_locations.h"
#include "scheduler/executor_exclusion.h"
#include "scheduler/pool.h"
#include "scheduler/scheduler_backend.h"
#include "scheduler/stage_progress.h"
#include "scheduler/task_set_manager.h"
#include "scheduler/task_submitter.h"

namespace sluice {

// The driver's view of one registered executor: where it is and its cores (the master's
// record of an executor is master::ExecutorDesc).
struct ExecutorInfo {
  std::string id;
  std::string host;
  std::string endpoint;
  int cores = 1;
  int in_flight = 0;   // tasks launched there that have not ended (running or queued there); set by the scheduler
  int held_cores = 0;  // held by long-running tasks (receivers)
};

class TaskScheduler : public TaskSubmitter {
 public:
  // clock: null for the system clock; otherwise it must outlive this object.
  TaskScheduler(const Conf& conf, SchedulerBackend* backend, TaskSchedulerListener* listener,
                Clock* clock = nullptr);
  ~TaskScheduler() override;

  // Checks the configuration (scheduler.mode, the allocation file: a bad one is an error
  // and the scheduler falls back to FIFO) and starts the background thread, unless
  // `scheduler.revive.interval` is 0.
  Status start();
  // Stops the background thread. Idempotent.
  void stop();

  void submitTasks(std::shared_ptr<const TaskSet> task_set) override;
  // Stops launching tasks of the stage's attempts (e.g. after a fetch failure); kills the
  // tasks of a pre-scheduled attempt that still await map outputs (they never ran).
  void cancelStage(int stage_id) override;
  // Sends the outputs to every executor that has tasks of the pre-scheduled attempt, and
  // keeps them for executors it launches tasks of it on later.
  void mapOutputsAvailable(int stage_id, int stage_attempt, int shuffle_id,
                           std::vector<rpc::MapLocation> outputs) override;
  void statusUpdate(rpc::TaskStatus status);
  // As statusUpdate() for each, in order, with one offer round after the last.
  void statusUpdates(std::vector<rpc::TaskStatus> statuses);
  // The most tasks in flight on one executor core (scheduler.pipelineDepth).
  int pipelineDepth() const { return pipeline_depth_; }
  void executorAdded(ExecutorInfo info);
  // Re-queues the executor's running tasks and tells the listener. Idempotent.
  void executorLost(const std::string& executor_id, const std::string& reason);
  // Offers the free cores again (delay waits or exclusions may have ended).
  void reviveOffers();
  // Marks stragglers of every task set for speculation and offers cores to their copies.
  void checkSpeculatableTasks();

  std::vector<ExecutorInfo> executors() const;
  int totalCores() const;
  int64_t tasksLaunched() const;
  // Where cached partitions are, as reported by finished tasks. Thread-safe.
  const CacheLocations& cacheLocations() const override { return cache_; }
  // The RDD's cached partitions were removed. Thread-safe.
  void forgetCachedRdd(int rdd_id) { cache_.removeRdd(rdd_id); }
  // Tasks running in the named pool (FAIR) or in all (FIFO).
  int runningTasksInPool(const std::string& pool) const;
  // The stage attempts launching tasks now, in submission order; long-running task sets
  // (receivers) are left out. Thread-safe.
  std::vector<StageProgress> activeStages() const;

 private:
  // Records one task end; what the listener must hear goes to ends and aborts.
  void statusUpdateLocked(rpc::TaskStatus& status, std::vector<TaskEnd>& ends,
                          std::vector<std::tuple<int, int, std::string>>& aborts);
  // Launches tasks on free slots until none is taken, then hands each executor's tasks to
  // the backend in one launchTasks() call.
  void makeOffersLocked();
  bool launchOneLocked();
  // How many tasks exec may have in flight: (cores not held) x depth, plus the held ones.
  int slotsLocked(const ExecutorInfo& exec) const;
  TaskSetManager* managerOfLocked(int64_t task_id);
  // A pre-scheduled task set launches only once every task of its parent stages has been
  // launched, so that its held tasks never take a slot a parent's task waits for.
  bool parentsLaunchedLocked(const TaskSetManager& m) const;
  // Before a launch on executor_id: the outputs known so far of the pre-scheduled attempts
  // among tasks, for the executor's first task of each.
  void sendKnownOutputsLocked(const std::string& executor_id, const std::vector<TaskDescription>& tasks);
  void dropFinishedLocked();
  // The executors that can run a task: a core not held by a long-running task.
  std::map<std::string, std::string> runnableExecutorsLocked() const;
  void executorsChangedLocked();
  // Counts a long-running task's core on exec (held = +1 at launch, -1 at its end).
  void holdCoreLocked(ExecutorInfo& exec, int held);
  // Warns once when receivers hold every core for two revives in a row (not while the
  // executors are still registering).
  void checkReceiverCoresLocked();
  std::chrono::milliseconds reviveEveryLocked() const;
  void backgroundLoop();

  TaskSetConfig task_set_config_;
  SchedulerBackend* backend_;
  TaskSchedulerListener* listener_;
  std::unique_ptr<Clock> own_clock_;
  Clock& clock_;
  Status config_status_;
  std::chrono::milliseconds revive_interval_;
  bool speculation_;
  std::chrono::milliseconds speculation_interval_;
  int64_t speculation_min_runtime_ms_;
  int pipeline_depth_;

  mutable std::mutex mu_;
  std::unique_ptr<Pool> root_;
  ExecutorExclusion exclusion_;
  std::map<std::string, ExecutorInfo> executors_;
  CacheLocations cache_;
  std::vector<std::unique_ptr<TaskSetManager>> managers_;
  std::map<int64_t, TaskSetManager*> task_owner_;
  int64_t next_task_id_ = 0;
  size_t next_executor_ = 0;  // round-robin start, so that tasks spread over executors
  // Pre-scheduled stage attempts (TaskSet::awaited_stage_ids), until their task set ends.
  struct PreScheduled {
    size_t awaited = 0;                                       // shuffles its binary awaits
    std::map<int, std::vector<rpc::MapLocation>> outputs;     // the ones known: shuffle id -> outputs
    std::set<std::string> executors;                          // that got tasks of it
    bool released() const { return outputs.size() >= awaited; }
  };
  std::map<std::pair<int, int>, PreScheduled> prescheduled_;
  // The tasks of the offer round under way, by executor (makeOffersLocked).
  std::map<std::string, std::vector<TaskDescription>> round_;

  std::set<std::string> warned_held_;  // executors whose full hold was logged
  int all_held_checks_ = 0;            // revives in a row that found every core held
  bool warned_all_held_ = false;

  std::condition_variable stop_cv_;
  bool stopping_ = false;
  bool wake_ = false;  // a task set arrived: the background thread recomputes its tick
  std::thread background_;
};

}  // namespace sluice
