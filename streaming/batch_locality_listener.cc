#include "streaming/batch_locality_listener.h"

#include "scheduler/task_locality.h"

namespace sluice {
namespace {

BatchJobInfo jobOf(const JobInfo& job, bool ended) {
  BatchJobInfo j;
  j.job_id = job.job_id;
  j.num_skipped_stages = static_cast<int>(job.skipped_stage_ids.size());
  j.num_stages = static_cast<int>(job.stage_ids.size()) - j.num_skipped_stages;
  if (ended) {
    j.duration_ms = std::max<int64_t>(0, (job.end_nanos - job.submit_nanos) / 1'000'000);
    j.succeeded = job.succeeded;
    j.error = job.error;
  }
  return j;
}

}  // namespace

void BatchLocalityListener::onJobStart(const JobInfo& job) {
  if (job.group.rfind(kBatchJobGroupPrefix, 0) != 0) return;
  Time t = std::stoll(job.group.substr(std::char_traits<char>::length(kBatchJobGroupPrefix)));
  for (int stage : job.stage_ids) stage_owner_[stage] = {t, job.job_id};
  stages_of_job_[job.job_id] = job.stage_ids;
  batch_of_job_[job.job_id] = t;
  jobs_.recordJob(t, jobOf(job, false));
}

void BatchLocalityListener::onJobEnd(const JobInfo& job) {
  auto batch = batch_of_job_.find(job.job_id);
  if (batch == batch_of_job_.end()) return;
  jobs_.recordJob(batch->second, jobOf(job, true));
  batch_of_job_.erase(batch);
  auto it = stages_of_job_.find(job.job_id);
  if (it == stages_of_job_.end()) return;
  for (int stage : it->second) {
    auto owner = stage_owner_.find(stage);
    if (owner != stage_owner_.end() && owner->second.job_id == job.job_id) stage_owner_.erase(owner);
  }
  stages_of_job_.erase(it);
}

void BatchLocalityListener::onTaskEnd(const TaskEnd& task) {
  if (task.state == rpc::TaskState::kFailed || task.state == rpc::TaskState::kKilled) return;  // retried elsewhere
  auto it = stage_owner_.find(task.stage_id);
  if (it != stage_owner_.end()) jobs_.addTaskLocality(it->second.batch, it->second.job_id, localityName(task.locality));
}

}  // namespace sluice
