// SchedulerListener: events of jobs and stages (Spark's SparkListener), for metrics, the UI
// and tests. Callbacks run on the DAGScheduler's event loop and must be quick.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/task_set.h"

namespace sluice {

struct StageInfo {
  int stage_id = 0;
  int attempt = 0;
  bool is_map = false;
  int num_tasks = 0;
  std::string name;
  std::string pool;     // the scheduling pool of its task set ("" = default)
  std::string failure;  // onStageCompleted: why the attempt ended unfinished, "" when it succeeded
};

struct JobInfo {
  int job_id = 0;
  std::vector<int> stage_ids;      // every stage of the job, ascending (its result stage last)
  std::vector<int> stage_num_tasks;  // parallel to stage_ids: each stage's partitions
  std::vector<int> skipped_stage_ids;  // stages whose output existed already
  int64_t submit_nanos = 0;
  int64_t end_nanos = 0;
  bool succeeded = false;
  std::string error;
  std::string group;  // the job.group local property of the thread that submitted it
  std::string name;   // the name of the RDD it computes (what Spark's call site names)
};

// An executor registered with the TaskScheduler, and one it lost (Spark's
// SparkListenerExecutorAdded / Removed).
struct ExecutorAdded {
  std::string executor_id;
  std::string host;
  std::string endpoint;  // where its block server listens (tcp://host:port)
  int cores = 0;
};
struct ExecutorRemoved {
  std::string executor_id;
  std::string reason;
};

class SchedulerListener {
 public:
  virtual ~SchedulerListener() = default;
  virtual void onJobStart(const JobInfo&) {}
  virtual void onJobEnd(const JobInfo&) {}
  virtual void onStageSubmitted(const StageInfo&) {}
  virtual void onStageCompleted(const StageInfo&) {}
  // Every task that ended, as its state says: finished, failed, fetch-failed or killed
  // (a duplicate success of a speculated task is not reported).
  virtual void onTaskEnd(const TaskEnd&) {}
  virtual void onExecutorAdded(const ExecutorAdded&) {}
  virtual void onExecutorRemoved(const ExecutorRemoved&) {}
};

}  // namespace sluice
