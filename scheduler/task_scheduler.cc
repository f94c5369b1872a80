#include "scheduler/task_scheduler.h"

#include <spdlog/spdlog.h>

namespace sluice {

TaskScheduler::TaskScheduler(const Conf& conf, SchedulerBackend* backend, TaskSchedulerListener* listener,
                             std::unique_ptr<SchedulingPolicy> policy)
    : max_failures_(static_cast<int>(conf.getInt("task.maxFailures", 4))),
      backend_(backend),
      listener_(listener),
      policy_(std::move(policy)) {}

void TaskScheduler::submitTasks(std::shared_ptr<const TaskSet> task_set) {
  std::lock_guard<std::mutex> lock(mu_);
  spdlog::debug("submitting task set {} with {} tasks", task_set->name(), task_set->partitions.size());
  managers_.push_back(std::make_unique<TaskSetManager>(std::move(task_set), max_failures_));
  makeOffersLocked();
}

void TaskScheduler::cancelStage(int stage_id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& m : managers_) {
    if (m->taskSet().stage_id == stage_id) m->markZombie();
  }
  dropFinishedLocked();
}

void TaskScheduler::statusUpdate(rpc::TaskStatus status) {
  std::optional<TaskEnd> end;
  std::optional<std::string> abort;
  int abort_stage = 0, abort_attempt = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto exec = executors_.find(status.executor_id);
    if (exec != executors_.end()) exec->second.free_cores++;
    TaskSetManager* m = managerOfLocked(status.task_id);
    if (!m) {
      makeOffersLocked();
      return;
    }
    const TaskSet& ts = m->taskSet();
    TaskEnd e;
    e.stage_id = ts.stage_id;
    e.stage_attempt = ts.stage_attempt;
    e.partition = m->partitionOf(status.task_id);
    e.state = status.state;
    e.executor_id = status.executor_id;
    e.executor_endpoint = exec != executors_.end() ? exec->second.endpoint : "";
    e.metrics = status.metrics;
    task_owner_.erase(status.task_id);
    switch (status.state) {
      case rpc::TaskState::kFinished:
        if (m->handleSuccess(status.task_id)) {
          spdlog::info("finished task {} (stage {} partition {}) in {} ms on executor {}", status.task_id, ts.name(),
                       e.partition, status.metrics.run_nanos / 1000000, status.executor_id);
          e.result = std::move(status.result);
          end = std::move(e);
        }
        break;
      case rpc::TaskState::kFetchFailed:
        // The map output is gone: no retry here, the DAGScheduler resubmits the parent stage.
        m->handleFailure(status.task_id, status.error, false);
        m->markZombie();
        e.error = status.error;
        e.fetch_shuffle_id = status.fetch_shuffle_id;
        e.fetch_map_id = status.fetch_map_id;
        e.fetch_executor_id = status.fetch_executor_id;
        end = std::move(e);
        break;
      case rpc::TaskState::kFailed:
      case rpc::TaskState::kKilled:
        if (auto why = m->handleFailure(status.task_id, status.error, true)) {
          abort = std::move(*why);
          abort_stage = ts.stage_id;
          abort_attempt = ts.stage_attempt;
        }
        break;
    }
    dropFinishedLocked();
    makeOffersLocked();
  }
  if (end) listener_->taskEnded(std::move(*end));
  if (abort) listener_->taskSetFailed(abort_stage, abort_attempt, std::move(*abort));
}

void TaskScheduler::executorAdded(ExecutorInfo info) {
  std::lock_guard<std::mutex> lock(mu_);
  info.free_cores = info.cores;
  spdlog::info("executor {} added on {} with {} cores", info.id, info.host, info.cores);
  executors_[info.id] = info;
  makeOffersLocked();
}

void TaskScheduler::executorLost(const std::string& executor_id, const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!executors_.erase(executor_id)) return;
    spdlog::warn("executor {} lost: {}", executor_id, reason);
    for (auto& m : managers_) {
      for (int64_t task_id : m->executorLost(executor_id)) task_owner_.erase(task_id);
    }
    dropFinishedLocked();
    makeOffersLocked();
  }
  listener_->executorLost(executor_id, reason);
}

std::vector<ExecutorInfo> TaskScheduler::executors() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ExecutorInfo> out;
  for (auto& [id, info] : executors_) out.push_back(info);
  return out;
}

int TaskScheduler::totalCores() const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (auto& [id, info] : executors_) n += info.cores;
  return n;
}

int64_t TaskScheduler::tasksLaunched() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_task_id_;
}

void TaskScheduler::makeOffersLocked() {
  std::vector<TaskSetManager*> order;
  for (auto& m : managers_) {
    if (!m->isZombie()) order.push_back(m.get());
  }
  if (order.empty()) return;
  policy_->order(order);
  // Round-robin over executors, one core at a time, so tasks spread out.
  bool launched = true;
  while (launched) {
    launched = false;
    for (auto& [id, exec] : executors_) {
      if (exec.free_cores <= 0) continue;
      for (TaskSetManager* m : order) {
        auto task = m->resourceOffer(exec.id, exec.host, next_task_id_);
        if (!task) continue;
        ++next_task_id_;
        --exec.free_cores;
        task_owner_[task->task_id] = m;
        backend_->launchTask(exec.id, *task);
        launched = true;
        break;
      }
    }
  }
}

TaskSetManager* TaskScheduler::managerOfLocked(int64_t task_id) {
  auto it = task_owner_.find(task_id);
  return it == task_owner_.end() ? nullptr : it->second;
}

void TaskScheduler::dropFinishedLocked() {
  for (auto it = managers_.begin(); it != managers_.end();) {
    if ((*it)->finished()) {
      backend_->releaseStage((*it)->taskSet().stage_id, (*it)->taskSet().stage_attempt);
      it = managers_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace sluice
