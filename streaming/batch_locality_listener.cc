#include "streaming/batch_locality_listener.h"

#include "scheduler/task_locality.h"

namespace sluice {

void BatchLocalityListener::onJobStart(const JobInfo& job) {
  if (job.group.rfind(kBatchJobGroupPrefix, 0) != 0) return;
  Time t = std::stoll(job.group.substr(std::char_traits<char>::length(kBatchJobGroupPrefix)));
  for (int stage : job.stage_ids) batch_of_stage_[stage] = t;
  stages_of_job_[job.job_id] = job.stage_ids;
}

void BatchLocalityListener::onJobEnd(const JobInfo& job) {
  auto it = stages_of_job_.find(job.job_id);
  if (it == stages_of_job_.end()) return;
  for (int stage : it->second) batch_of_stage_.erase(stage);
  stages_of_job_.erase(it);
}

void BatchLocalityListener::onTaskEnd(const TaskEnd& task) {
  if (task.state == rpc::TaskState::kFailed || task.state == rpc::TaskState::kKilled) return;  // retried elsewhere
  auto it = batch_of_stage_.find(task.stage_id);
  if (it != batch_of_stage_.end()) jobs_.addTaskLocality(it->second, localityName(task.locality));
}

}  // namespace sluice
