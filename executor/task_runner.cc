#include "executor/task_runner.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "rdd/rdd_base.h"

namespace sluice {

TaskRunner::TaskRunner(const TaskServices& services, DriverLink& driver) : services_(services), driver_(driver) {}

TaskRunner::~TaskRunner() { stop(); }

void TaskRunner::start(int cores) {
  for (int i = 0; i < cores; ++i) threads_.emplace_back([this] { taskLoop(); });
}

void TaskRunner::launch(std::vector<rpc::LaunchTask> tasks) {
  // The stage's binary comes with its first task here only; a later task of the stage may
  // be taken by another thread first, so keep the binary apart from the task now.
  for (auto& task : tasks) {
    if (task.stage) stages_.addBinary(task.stage_id, task.stage_attempt, *task.stage);
    task.stage.reset();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& task : tasks) queue_.push_back(std::move(task));
  }
  if (tasks.size() == 1) cv_.notify_one();
  else cv_.notify_all();
}

void TaskRunner::kill(const rpc::KillTask& kill) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->task_id != kill.task_id) continue;
    queue_.erase(it);
    spdlog::info("executor {}: killed queued task {}: {}", services_.executor_id, kill.task_id, kill.reason);
    rpc::TaskStatus status;
    status.task_id = kill.task_id;
    status.executor_id = services_.executor_id;
    status.state = rpc::TaskState::kKilled;
    status.error = "killed: " + kill.reason;
    driver_.reportStatus(status);
    return;
  }
  // A running task cannot be interrupted: its end is reported as KILLED, without a result.
  if (running_.count(kill.task_id)) {
    spdlog::info("executor {}: task {} will be reported killed when it ends: {}", services_.executor_id, kill.task_id,
                 kill.reason);
    killed_.insert(kill.task_id);
  }
}

void TaskRunner::taskLoop() {
  while (true) {
    rpc::LaunchTask task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      running_.insert(task.task_id);
    }
    runTask(task);
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(task.task_id);
    killed_.erase(task.task_id);
  }
}

void TaskRunner::runTask(const rpc::LaunchTask& task) {
  spdlog::debug("running task {} (stage {}.{} partition {})", task.task_id, task.stage_id, task.stage_attempt,
                task.partition);
  rpc::TaskStatus status;
  status.task_id = task.task_id;
  status.executor_id = services_.executor_id;
  int64_t start = monotonicNanos();
  auto stage = stages_.get(task);
  if (!stage) {
    status.state = rpc::TaskState::kFailed;
    status.error = stage.status().toString();
    driver_.reportStatus(status);
    return;
  }
  ExecutorTaskContext ctx(services_, (*stage)->binary, task);
  try {
    if ((*stage)->binary.is_map_stage) {
      auto dep = std::dynamic_pointer_cast<ShuffleDependencyBase>((*stage)->root);
      if (!dep) throw std::runtime_error("map stage root is not a shuffle dependency");
      dep->runMapTask(task.partition, ctx);
    } else {
      auto rdd = std::dynamic_pointer_cast<RDDBase>((*stage)->root);
      if (!rdd) throw std::runtime_error("result stage root is not an RDD");
      rdd->computeToBytes(task.partition, ctx, &status.result);
    }
    status.state = rpc::TaskState::kFinished;
  } catch (const FetchFailedError& e) {
    status.state = rpc::TaskState::kFetchFailed;
    status.error = e.what();
    status.fetch_shuffle_id = e.shuffle_id;
    status.fetch_map_id = e.map_id;
    status.fetch_executor_id = e.executor_id;
    status.result.clear();
  } catch (const std::exception& e) {
    status.state = rpc::TaskState::kFailed;
    status.error = e.what();
    status.result.clear();
  } catch (...) {
    status.state = rpc::TaskState::kFailed;
    status.error = "unknown exception";
    status.result.clear();
  }
  status.metrics = ctx.metrics();
  status.metrics.run_nanos = monotonicNanos() - start;
  status.cached_partitions = ctx.takeCachedPartitions();
  if (status.state != rpc::TaskState::kFinished) {
    spdlog::warn("task {} (stage {}.{} partition {}) failed: {}", task.task_id, task.stage_id, task.stage_attempt,
                 task.partition, status.error);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(task.task_id);
    if (killed_.erase(task.task_id)) {
      status.state = rpc::TaskState::kKilled;
      status.error = "killed: another attempt succeeded";
      status.result.clear();
    }
  }
  spdlog::debug("task {} ended: state {} in {} us", task.task_id, static_cast<int>(status.state),
                status.metrics.run_nanos / 1000);
  driver_.reportStatus(status);
}

void TaskRunner::requestStop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  cv_.notify_all();
}

void TaskRunner::stop() {
  requestStop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace sluice
