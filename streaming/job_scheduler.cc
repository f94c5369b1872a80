#include "streaming/job_scheduler.h"

#include <spdlog/spdlog.h>

#include "common/logging.h"

namespace sluice {

JobScheduler::JobScheduler(Clock& clock, int concurrent_jobs, Duration interval, BatchHooks& hooks)
    : clock_(clock), concurrent_jobs_(std::max(1, concurrent_jobs)), hooks_(hooks), overload_(interval) {}

JobScheduler::~JobScheduler() { stop(false); }

void JobScheduler::start() {
  start_ms_ = clock_.nowMs();
  live_workers_ = concurrent_jobs_;
  for (int i = 0; i < concurrent_jobs_; ++i) {
    workers_.emplace_back([this] {
      workerLoop();
      std::lock_guard<std::mutex> lock(mu_);
      --live_workers_;
      cv_.notify_all();
    });
  }
}

bool JobScheduler::stop(bool drain, std::chrono::milliseconds timeout) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    stopping_ = true;
    drain_ = drain;
    cv_.notify_all();
    auto done = [&] { return live_workers_ == 0; };
    if (timeout == std::chrono::milliseconds::max()) cv_.wait(lock, done);
    else if (!cv_.wait_for(lock, timeout, done)) return false;
  }
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  dropped_.clear();
  for (const auto& [t, info] : active_) dropped_.push_back(t);
  return true;
}

std::vector<Time> JobScheduler::droppedBatches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

void JobScheduler::addListener(StreamingListener* listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.push_back(listener);
}

void JobScheduler::submit(Time t, int64_t interval_ms, std::vector<StreamingJob> jobs,
                          std::map<int, int64_t> records_per_stream) {
  BatchInfo info;
  info.batch_time = t;
  info.interval_ms = interval_ms;
  info.submission_ms = clock_.nowMs();
  info.records_per_stream = std::move(records_per_stream);
  for (auto& [id, n] : info.records_per_stream) info.num_records += n;
  for (auto& job : jobs) info.output_ops[job.output_op_id] = {job.output_op_id, job.name, "", -1, -1, ""};
  std::vector<StreamingListener*> listeners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    active_[t] = info;
    jobs_left_[t] = static_cast<int>(jobs.size());
    for (auto& job : jobs) queue_.push_back({t, std::move(job)});
    listeners = listeners_;
  }
  for (auto* l : listeners) l->onBatchSubmitted(info);
  if (jobs.empty()) {
    completeBatch(t, info.submission_ms);
  } else {
    cv_.notify_all();
  }
}

void JobScheduler::workerLoop() {
  while (true) {
    QueuedJob q;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty() || (stopping_ && !drain_)) return;
      q = std::move(queue_.front());
      queue_.pop_front();
    }
    runJob(q);
  }
}

void JobScheduler::runJob(QueuedJob& q) {
  std::vector<StreamingListener*> listeners;
  std::optional<BatchInfo> started;
  int64_t start = clock_.nowMs();
  {
    std::lock_guard<std::mutex> lock(mu_);
    BatchInfo& info = active_[q.time];
    if (info.processing_start_ms < 0) {
      info.processing_start_ms = start;
      started = info;
    }
    info.output_ops[q.job.output_op_id].start_ms = start;
    listeners = listeners_;
  }
  if (started) {
    for (auto* l : listeners) l->onBatchStarted(*started);
  }
  std::string failure;
  try {
    hooks_.runJob(q.job, q.job.run);
  } catch (const std::exception& e) {
    failure = e.what();
    spdlog::error("batch {} output operation {} ({}) failed: {}", q.time, q.job.output_op_id, q.job.name, failure);
    hooks_.jobFailed(q.time, failure);
  }
  int64_t end = clock_.nowMs();
  BatchInfo snapshot;
  OutputOperationInfo op;
  bool last;
  {
    std::lock_guard<std::mutex> lock(mu_);
    BatchInfo& info = active_[q.time];
    op = info.output_ops[q.job.output_op_id];
    op.end_ms = end;
    op.failure = failure;
    info.output_ops[q.job.output_op_id] = op;
    snapshot = info;
    last = --jobs_left_[q.time] == 0;
  }
  for (auto* l : listeners) l->onOutputOperationCompleted(snapshot, op);
  if (last) completeBatch(q.time, end);
}

void JobScheduler::completeBatch(Time t, int64_t end_ms) {
  BatchInfo done;
  std::vector<StreamingListener*> listeners;
  std::optional<OverloadDetector::Report> load;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done = active_[t];
    if (done.processing_start_ms < 0) done.processing_start_ms = end_ms;
    done.processing_end_ms = end_ms;
    active_.erase(t);
    jobs_left_.erase(t);
    completed_.push_back(done);
    if (completed_.size() > 1000) completed_.pop_front();
    ++num_completed_;
    num_processed_records_ += done.num_records;
    load = overload_.batchCompleted(done, numQueuedLocked());
    listeners = listeners_;
  }
  std::string localities;
  for (const auto& [level, n] : done.tasks_by_locality) localities += fmt::format(" {} {}", level, n);
  // Its own logger (log.batches.level), so that --log-level warn can keep this line.
  batchLog()->info("batch {}: {} records, scheduling delay {} ms, processing time {} ms, total delay {} ms, tasks by "
               "locality:{}",
               done.batch_time, done.num_records, done.schedulingDelayMs(), done.processingTimeMs(),
               done.totalDelayMs(), localities.empty() ? " none" : localities);
  if (load) {
    if (load->level == OverloadDetector::Report::Level::kWarn) spdlog::warn("{}", load->message);
    else spdlog::info("{}", load->message);
  }
  hooks_.batchCompleted(t);
  for (auto* l : listeners) l->onBatchCompleted(done);
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_completed_ = std::max(last_completed_, t);
  }
  cv_.notify_all();
}

bool JobScheduler::waitForBatch(Time t, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return last_completed_ >= t; });
}

std::vector<BatchInfo> JobScheduler::completedBatches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {completed_.begin(), completed_.end()};
}

std::vector<BatchInfo> JobScheduler::activeBatches() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<BatchInfo> out;
  for (auto& [t, info] : active_) out.push_back(info);
  return out;
}

int64_t JobScheduler::numQueuedLocked() const {
  int64_t queued = 0;
  for (const auto& [t, info] : active_) queued += info.processing_start_ms < 0 ? 1 : 0;
  return queued;
}

int64_t JobScheduler::numQueuedBatches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return numQueuedLocked();
}

OverloadState JobScheduler::overload() const {
  std::lock_guard<std::mutex> lock(mu_);
  return overload_.state();
}

int64_t JobScheduler::numCompletedBatches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return num_completed_;
}

BatchInfo* JobScheduler::findBatchLocked(Time t) {
  auto it = active_.find(t);
  if (it != active_.end()) return &it->second;
  // A job's last events may come just after its batch completed: look among the newest
  // (batches of concurrent jobs may complete slightly out of order).
  int looked = 0;
  for (auto done = completed_.rbegin(); done != completed_.rend() && looked < 64; ++done, ++looked) {
    if (done->batch_time == t) return &*done;
  }
  return nullptr;
}

void JobScheduler::addTaskLocality(Time t, int job_id, const std::string& level) {
  std::lock_guard<std::mutex> lock(mu_);
  BatchInfo* batch = findBatchLocked(t);
  if (!batch) return;
  ++batch->tasks_by_locality[level];
  auto job = batch->jobs.find(job_id);
  if (job != batch->jobs.end()) ++job->second.num_tasks;
}

void JobScheduler::recordJob(Time t, const BatchJobInfo& job) {
  std::lock_guard<std::mutex> lock(mu_);
  BatchInfo* batch = findBatchLocked(t);
  if (!batch) return;
  BatchJobInfo& known = batch->jobs[job.job_id];
  int64_t tasks = known.num_tasks;
  known = job;
  known.num_tasks = std::max(tasks, job.num_tasks);
}

int64_t JobScheduler::numProcessedRecords() const {
  std::lock_guard<std::mutex> lock(mu_);
  return num_processed_records_;
}

}  // namespace sluice
