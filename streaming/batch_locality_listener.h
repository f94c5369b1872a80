// BatchLocalityListener: counts the tasks of each streaming batch by locality level, for
// the batch's log line and /streaming/batches, and records the batch's jobs for its batch
// page. The streaming job scheduler tags each job with the job.group local property
// "streaming-batch-<time>"; this listener maps the job's stages to that batch and counts
// the tasks that end in them.
//
// THREADING: callbacks run on the DAGScheduler's event loop.
#pragma once

#include <map>
#include <string>

#include "streaming/job_scheduler.h"
#include "scheduler/listener.h"

namespace sluice {

inline constexpr const char* kBatchJobGroupPrefix = "streaming-batch-";

class BatchLocalityListener : public SchedulerListener {
 public:
  explicit BatchLocalityListener(JobScheduler& jobs) : jobs_(jobs) {}
  void onJobStart(const JobInfo& job) override;
  void onJobEnd(const JobInfo& job) override;
  void onTaskEnd(const TaskEnd& task) override;

 private:
  JobScheduler& jobs_;
  struct StageOwner {
    Time batch = 0;
    int job_id = 0;
  };
  std::map<int, StageOwner> stage_owner_;  // by stage id: the last job that runs it
  std::map<int, std::vector<int>> stages_of_job_;
  std::map<int, Time> batch_of_job_;
};

}  // namespace sluice
