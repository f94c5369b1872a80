// TaskSet: the tasks of one stage attempt, as the DAGScheduler hands them to the
// TaskScheduler, and TaskDescription: one task placed on an executor.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rpc/executor_messages.h"
#include "scheduler/task_locality.h"

namespace sluice {

// What the submitter of a job says about placing its tasks; every task set of the job
// carries it. Set from the submitting thread's local properties (driver/context.h).
struct TaskSetPlacement {
  // Caps the locality wait of every level (ms); -1: locality.wait as configured. A
  // streaming batch sets a fraction of its interval (scheduler/SCHEDULING.md).
  int64_t locality_wait_max_ms = -1;
  // Its tasks hold their core until they are stopped (receivers). An executor whose every
  // core is held so is not waited for: see TaskScheduler.
  bool long_running = false;
  // Launch a reduce stage's tasks with its map stage's (scheduler/SCHEDULING.md,
  // "Pre-scheduled reducers"); unset: the key scheduler.preScheduleReducers.
  std::optional<bool> pre_schedule_reducers;
};

// Local properties (Context::setLocalProperty) read into a TaskSetPlacement.
inline constexpr const char* kLocalityWaitMaxProperty = "scheduler.locality.waitMax";  // a duration
inline constexpr const char* kLongRunningProperty = "scheduler.longRunning";         // "true"
// "true" or "false": overrides scheduler.preScheduleReducers for the jobs the thread submits.
inline constexpr const char* kPreScheduleReducersProperty = "scheduler.preScheduleReducers";
// Local property read into DAGScheduler::submitJob's quiet_log: "true" logs the job's
// start and end at debug instead of info (a streaming batch's jobs, which its batch line
// sums up; receivers).
inline constexpr const char* kJobLogQuietlyProperty = "job.logQuietly";

struct TaskSet {
  int stage_id = 0;
  int stage_attempt = 0;
  int job_id = 0;       // the first job that needs the stage: FIFO priority
  std::string pool;     // scheduling pool (FAIR), "" = default
  bool is_map_stage = false;
  std::vector<int> partitions;                        // task index -> partition
  std::vector<std::vector<std::string>> preferred;    // task index -> locations
  std::shared_ptr<const rpc::StageBinary> binary;
  TaskSetPlacement placement;
  // A pre-scheduled stage: the parent map stages still running at its submission. Its
  // tasks are launched only once every task of those is launched, and each executor holds
  // them until the parents' outputs come (binary->awaited_shuffles).
  std::vector<int> awaited_stage_ids;

  std::string name() const { return std::to_string(stage_id) + "." + std::to_string(stage_attempt); }
};

struct TaskDescription {
  int64_t task_id = 0;
  int stage_id = 0;
  int stage_attempt = 0;
  int partition = 0;
  int attempt = 0;  // how many times this partition was tried before in this task set
  std::shared_ptr<const rpc::StageBinary> binary;
  TaskLocality locality = TaskLocality::kAny;  // how close to its input it was placed
  bool speculative = false;                    // a copy of a straggler
  int64_t launch_nanos = 0;                    // monotonicNanos() when it was placed
};

// What the TaskScheduler tells the DAGScheduler when a task ends.
struct TaskEnd {
  int stage_id = 0;
  int stage_attempt = 0;
  int partition = 0;
  rpc::TaskState state = rpc::TaskState::kFinished;
  std::string result;
  std::string error;
  int fetch_shuffle_id = -1;
  int fetch_map_id = -1;
  std::string fetch_executor_id;
  std::string executor_id;
  std::string executor_endpoint;
  TaskMetrics metrics;
  int64_t task_id = 0;
  TaskLocality locality = TaskLocality::kAny;
  bool speculative = false;
  int64_t launch_nanos = 0;  // monotonicNanos() when it was placed
};

}  // namespace sluice
