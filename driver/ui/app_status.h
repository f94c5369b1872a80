// What the driver UI shows of jobs, stages and executors (Spark's JobData, StageData and
// ExecutorSummary, as AppStatusStore keeps them): plain values, copied out of the store.
//
// Times are ms since the epoch, -1 when not (yet) known. Only what the scheduler's events
// say is kept; what Spark shows and Sluice does not measure (GC time, spills, input
// bytes, running tasks) has no field here and is left out of the REST answers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

// Tasks that ended, by how (Spark's numCompleteTasks, numFailedTasks, numKilledTasks).
struct TaskCounts {
  int64_t completed = 0;
  int64_t failed = 0;  // failed and fetch-failed
  int64_t killed = 0;
};

struct JobUiData {
  enum class Status { kRunning, kSucceeded, kFailed };
  int job_id = 0;
  std::string name;
  std::string group;  // "" when submitted without a job.group
  int64_t submission_ms = -1;
  int64_t completion_ms = -1;
  Status status = Status::kRunning;
  std::string error;  // kFailed: why
  std::vector<int> stage_ids;
  int num_tasks = 0;  // over all its stages, skipped ones included (as Spark counts)
  TaskCounts tasks;
  int num_completed_indices = 0;
  int num_skipped_tasks = 0;
  int num_active_stages = 0;
  int num_completed_stages = 0;
  int num_skipped_stages = 0;
  int num_failed_stages = 0;
};

struct StageUiData {
  enum class Status { kActive, kComplete, kFailed };
  int stage_id = 0;
  int attempt_id = 0;
  Status status = Status::kActive;
  std::string name;
  std::string pool;
  std::vector<int> job_ids;
  int num_tasks = 0;
  TaskCounts tasks;
  int num_completed_indices = 0;
  int64_t submission_ms = -1;
  int64_t completion_ms = -1;
  std::string failure;  // kFailed: why
  int64_t executor_run_time_ms = 0;
  int64_t shuffle_read_bytes = 0;
  int64_t shuffle_remote_read_bytes = 0;
  int64_t shuffle_write_bytes = 0;
};

struct ExecutorUiData {
  std::string id;
  std::string host;
  std::string host_port;
  int total_cores = 0;
  int64_t add_ms = -1;
  TaskCounts tasks;
  int64_t total_duration_ms = 0;  // the run time of its tasks
  int64_t shuffle_read_bytes = 0;
  int64_t shuffle_write_bytes = 0;
};

// Counts since the application started, for /metrics: never reset, never trimmed.
struct AppStatusTotals {
  TaskCounts tasks;
  int64_t jobs_succeeded = 0;
  int64_t jobs_failed = 0;
  int64_t stages_completed = 0;
  int64_t stages_failed = 0;
  int64_t task_run_time_ms = 0;
  int64_t shuffle_read_bytes = 0;
  int64_t shuffle_write_bytes = 0;
  int active_jobs = 0;
  int active_stages = 0;
  int executors = 0;
  int executor_cores = 0;
  int64_t executors_added = 0;
  int64_t executors_removed = 0;
};

}  // namespace sluice
