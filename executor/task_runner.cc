#include "executor/task_runner.h"

#include <algorithm>

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
  // A pre-scheduled stage's tasks wait for the outputs its binary awaits; outputs that
  // came before the binary go into it now.
  for (auto& task : tasks) {
    if (task.stage) {
      if (!task.stage->awaited_shuffles.empty()) {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [shuffle, outputs] :
             awaited_.stageArrived({task.stage_id, task.stage_attempt}, task.stage->awaited_shuffles)) {
          task.stage->shuffle_inputs[shuffle] = std::move(outputs);
        }
      }
      stages_.addBinary(task.stage_id, task.stage_attempt, *task.stage);
    }
    task.stage.reset();
  }
  size_t queued = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& task : tasks) {
      if (awaited_.hold(task)) continue;
      queue_.push_back(std::move(task));
      ++queued;
    }
  }
  if (queued == 1) cv_.notify_one();
  else if (queued > 1) cv_.notify_all();
}

void TaskRunner::mapOutputsAvailable(rpc::MapOutputsAvailable outputs) {
  bool known = false;
  std::vector<rpc::LaunchTask> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ready = awaited_.outputsArrived({outputs.stage_id, outputs.stage_attempt}, outputs.shuffle_id, outputs.outputs,
                                    &known);
  }
  // Into the stage before its tasks can run (they are held until now).
  if (known) stages_.setShuffleInput(outputs.stage_id, outputs.stage_attempt, outputs.shuffle_id,
                                     std::move(outputs.outputs));
  if (ready.empty()) return;
  spdlog::debug("executor {}: map outputs of shuffle {} came; {} task(s) of stage {}.{} may run",
                services_.executor_id, outputs.shuffle_id, ready.size(), outputs.stage_id, outputs.stage_attempt);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& task : ready) queue_.push_back(std::move(task));
  }
  if (ready.size() == 1) cv_.notify_one();
  else cv_.notify_all();
}

void TaskRunner::releaseStage(int stage_id, int stage_attempt) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    awaited_.release({stage_id, stage_attempt});
  }
  stages_.release(stage_id, stage_attempt);
}

void TaskRunner::kill(const rpc::KillTask& kill) {
  std::lock_guard<std::mutex> lock(mu_);
  bool dropped = awaited_.remove(kill.task_id).has_value();  // held for its map outputs
  const char* where = "held";
  if (!dropped) {
    auto it = std::find_if(queue_.begin(), queue_.end(), [&](const rpc::LaunchTask& t) { return t.task_id == kill.task_id; });
    if (it != queue_.end()) {
      queue_.erase(it);
      dropped = true;
      where = "queued";
    }
  }
  if (dropped) {
    spdlog::info("executor {}: killed {} task {}: {}", services_.executor_id, where, kill.task_id, kill.reason);
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
