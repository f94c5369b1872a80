#include "driver/ui/app_status_store.h"

#include <algorithm>

namespace sluice {
namespace {

bool contains(const std::vector<int>& ids, int id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

void countTask(TaskCounts& counts, rpc::TaskState state) {
  switch (state) {
    case rpc::TaskState::kFinished:
      ++counts.completed;
      break;
    case rpc::TaskState::kKilled:
      ++counts.killed;
      break;
    default:
      ++counts.failed;
  }
}

std::string hostPort(const ExecutorAdded& e) {
  const std::string scheme = "tcp://";
  if (e.endpoint.rfind(scheme, 0) == 0) return e.endpoint.substr(scheme.size());
  return e.endpoint.empty() ? e.host : e.endpoint;
}

}  // namespace

AppStatusStore::AppStatusStore(Limits limits, const Clock& clock) : limits_(limits), clock_(clock) {}

void AppStatusStore::onJobStart(const JobInfo& job) {
  std::lock_guard<std::mutex> lock(mu_);
  LiveJob& live = jobs_[job.job_id];
  JobUiData& d = live.data;
  d.job_id = job.job_id;
  d.name = job.name;
  d.group = job.group;
  d.submission_ms = clock_.nowMs();
  d.stage_ids = job.stage_ids;
  for (int n : job.stage_num_tasks) d.num_tasks += n;
  for (int stage_id : job.stage_ids) running_jobs_of_stage_[stage_id].push_back(job.job_id);
  ++totals_.active_jobs;
  trimJobsLocked();
}

void AppStatusStore::onJobEnd(const JobInfo& job) {
  std::lock_guard<std::mutex> lock(mu_);
  --totals_.active_jobs;
  ++(job.succeeded ? totals_.jobs_succeeded : totals_.jobs_failed);
  for (int stage_id : job.stage_ids) {
    auto running = running_jobs_of_stage_.find(stage_id);
    if (running == running_jobs_of_stage_.end()) continue;
    std::erase(running->second, job.job_id);
    if (running->second.empty()) running_jobs_of_stage_.erase(running);
  }
  auto it = jobs_.find(job.job_id);
  if (it == jobs_.end()) return;
  JobUiData& d = it->second.data;
  d.completion_ms = clock_.nowMs();
  d.status = job.succeeded ? JobUiData::Status::kSucceeded : JobUiData::Status::kFailed;
  d.error = job.error;
  for (size_t i = 0; i < job.stage_ids.size(); ++i) {
    if (!contains(job.skipped_stage_ids, job.stage_ids[i])) continue;
    ++d.num_skipped_stages;
    if (i < job.stage_num_tasks.size()) d.num_skipped_tasks += job.stage_num_tasks[i];
  }
  it->second.completed_indices.clear();
  trimJobsLocked();
}

void AppStatusStore::onStageSubmitted(const StageInfo& stage) {
  std::lock_guard<std::mutex> lock(mu_);
  StageUiData& d = stages_[{stage.stage_id, stage.attempt}];
  d.stage_id = stage.stage_id;
  d.attempt_id = stage.attempt;
  d.name = stage.name;
  d.pool = stage.pool;
  d.num_tasks = stage.num_tasks;
  d.submission_ms = clock_.nowMs();
  for (LiveJob* job : runningJobsOfLocked(stage.stage_id)) {
    d.job_ids.push_back(job->data.job_id);
    ++job->data.num_active_stages;
  }
  ++totals_.active_stages;
  trimStagesLocked();
}

void AppStatusStore::onStageCompleted(const StageInfo& stage) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find({stage.stage_id, stage.attempt});
  if (it == stages_.end() || it->second.status != StageUiData::Status::kActive) return;  // never ran any task
  StageUiData& d = it->second;
  d.status = stage.failure.empty() ? StageUiData::Status::kComplete : StageUiData::Status::kFailed;
  d.failure = stage.failure;
  d.completion_ms = clock_.nowMs();
  stage_indices_.erase(it->first);
  countStageEndLocked(d);
  trimStagesLocked();
}

void AppStatusStore::countStageEndLocked(const StageUiData& stage) {
  bool failed = stage.status == StageUiData::Status::kFailed;
  --totals_.active_stages;
  ++(failed ? totals_.stages_failed : totals_.stages_completed);
  for (int id : stage.job_ids) {
    auto job = jobs_.find(id);
    if (job == jobs_.end()) continue;
    JobUiData& d = job->second.data;
    if (d.num_active_stages > 0) --d.num_active_stages;
    ++(failed ? d.num_failed_stages : d.num_completed_stages);
  }
}

void AppStatusStore::onTaskEnd(const TaskEnd& task) {
  std::lock_guard<std::mutex> lock(mu_);
  const bool finished = task.state == rpc::TaskState::kFinished;
  const int64_t run_ms = task.metrics.run_nanos / 1000000;
  countTask(totals_.tasks, task.state);
  totals_.task_run_time_ms += run_ms;
  totals_.shuffle_read_bytes += task.metrics.shuffle_bytes_read;
  totals_.shuffle_write_bytes += task.metrics.shuffle_bytes_written;
  const StageKey key{task.stage_id, task.stage_attempt};
  if (auto it = stages_.find(key); it != stages_.end()) {
    StageUiData& s = it->second;
    countTask(s.tasks, task.state);
    s.executor_run_time_ms += run_ms;
    s.shuffle_read_bytes += task.metrics.shuffle_bytes_read;
    s.shuffle_remote_read_bytes += task.metrics.shuffle_remote_bytes_read;
    s.shuffle_write_bytes += task.metrics.shuffle_bytes_written;
    if (finished && s.status == StageUiData::Status::kActive && stage_indices_[key].insert(task.partition).second) {
      ++s.num_completed_indices;
    }
  }
  for (LiveJob* job : runningJobsOfLocked(task.stage_id)) {
    countTask(job->data.tasks, task.state);
    if (finished && job->completed_indices.insert({task.stage_id, task.partition}).second) {
      ++job->data.num_completed_indices;
    }
  }
  if (auto e = executors_.find(task.executor_id); e != executors_.end()) {
    countTask(e->second.tasks, task.state);
    e->second.total_duration_ms += run_ms;
    e->second.shuffle_read_bytes += task.metrics.shuffle_bytes_read;
    e->second.shuffle_write_bytes += task.metrics.shuffle_bytes_written;
  }
}

void AppStatusStore::onExecutorAdded(const ExecutorAdded& executor) {
  std::lock_guard<std::mutex> lock(mu_);
  ExecutorUiData& d = executors_[executor.executor_id];
  d = ExecutorUiData{};
  d.id = executor.executor_id;
  d.host = executor.host;
  d.host_port = hostPort(executor);
  d.total_cores = executor.cores;
  d.add_ms = clock_.nowMs();
  ++totals_.executors_added;
}

void AppStatusStore::onExecutorRemoved(const ExecutorRemoved& executor) {
  std::lock_guard<std::mutex> lock(mu_);
  if (executors_.erase(executor.executor_id)) ++totals_.executors_removed;
}

std::vector<AppStatusStore::LiveJob*> AppStatusStore::runningJobsOfLocked(int stage_id) {
  std::vector<LiveJob*> out;
  auto running = running_jobs_of_stage_.find(stage_id);
  if (running == running_jobs_of_stage_.end()) return out;
  for (int id : running->second) {
    auto job = jobs_.find(id);
    if (job != jobs_.end() && job->second.data.status == JobUiData::Status::kRunning) out.push_back(&job->second);
  }
  return out;
}

void AppStatusStore::trimJobsLocked() {
  for (auto it = jobs_.begin(); jobs_.size() > limits_.retained_jobs && it != jobs_.end();) {
    if (it->second.data.status == JobUiData::Status::kRunning) ++it;
    else it = jobs_.erase(it);
  }
}

void AppStatusStore::trimStagesLocked() {
  for (auto it = stages_.begin(); stages_.size() > limits_.retained_stages && it != stages_.end();) {
    if (it->second.status == StageUiData::Status::kActive) ++it;
    else it = stages_.erase(it);
  }
}

std::vector<JobUiData> AppStatusStore::jobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JobUiData> out;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) out.push_back(it->second.data);
  return out;
}

std::optional<JobUiData> AppStatusStore::job(int job_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second.data;
}

std::vector<StageUiData> AppStatusStore::stages() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StageUiData> out;
  for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) out.push_back(it->second);
  return out;
}

std::vector<StageUiData> AppStatusStore::stageAttempts(int stage_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StageUiData> out;
  for (auto it = stages_.lower_bound({stage_id, 0}); it != stages_.end() && it->first.first == stage_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::vector<ExecutorUiData> AppStatusStore::executors() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ExecutorUiData> out;
  for (const auto& [id, e] : executors_) out.push_back(e);
  return out;
}

AppStatusTotals AppStatusStore::totals() const {
  std::lock_guard<std::mutex> lock(mu_);
  AppStatusTotals t = totals_;
  t.executors = static_cast<int>(executors_.size());
  t.executor_cores = 0;
  for (const auto& [id, e] : executors_) t.executor_cores += e.total_cores;
  return t;
}

}  // namespace sluice
