#include "scheduler/task_scheduler.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "scheduler/pool_builder.h"

namespace sluice {
using std::chrono::milliseconds;

TaskScheduler::TaskScheduler(const Conf& conf, SchedulerBackend* backend, TaskSchedulerListener* listener,
                             Clock* clock)
    : task_set_config_(TaskSetConfig::fromConf(conf)),
      backend_(backend),
      listener_(listener),
      own_clock_(clock ? nullptr : std::make_unique<SystemClock>()),
      clock_(clock ? *clock : *own_clock_),
      revive_interval_(conf.get(keys::kSchedulerReviveInterval)),
      speculation_(conf.get(keys::kSpeculation)),
      speculation_interval_(conf.get(keys::kSpeculationInterval)),
      speculation_min_runtime_ms_(conf.get(keys::kSpeculationMinTaskRuntime).count()),
      pipeline_depth_(static_cast<int>(std::max<int64_t>(1, conf.get(keys::kSchedulerPipelineDepth)))),
      exclusion_(conf, clock_) {
  auto root = buildRootPool(conf);
  if (root) {
    root_ = std::move(*root);
  } else {
    config_status_ = root.status();
    root_ = std::make_unique<Pool>(PoolConfig{"", SchedulingMode::kFifo, 0, 0});
  }
}

TaskScheduler::~TaskScheduler() { stop(); }

Status TaskScheduler::start() {
  if (!config_status_.isOk()) return config_status_;
  spdlog::info("task scheduler: {} scheduling, speculation {}", schedulingModeName(root_->mode()),
               speculation_ ? "on" : "off");
  if (revive_interval_.count() > 0) background_ = std::thread([this] { backgroundLoop(); });
  return Status::ok();
}

void TaskScheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    stop_cv_.notify_all();
  }
  if (background_.joinable()) background_.join();
}

std::chrono::milliseconds TaskScheduler::reviveEveryLocked() const {
  constexpr milliseconds kShortestRevive(10);
  milliseconds every = revive_interval_;
  for (const auto& m : managers_) {
    if (m->isZombie()) continue;
    for (int64_t wait : {m->localityWaits().process_ms, m->localityWaits().node_ms}) {
      if (wait > 0) every = std::min(every, std::max(kShortestRevive, milliseconds(wait)));
    }
  }
  return every;
}

void TaskScheduler::backgroundLoop() {
  using Steady = std::chrono::steady_clock;
  auto last_revive = Steady::now();
  auto last_speculation = last_revive;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    auto revive_every = reviveEveryLocked();
    auto revive_at = last_revive + revive_every;
    auto until = speculation_ ? std::min(revive_at, last_speculation + speculation_interval_) : revive_at;
    stop_cv_.wait_until(lock, until, [this] { return stopping_ || wake_; });
    if (stopping_) return;
    wake_ = false;
    auto now = Steady::now();
    if (now < until) continue;  // a new task set may need an earlier revive
    lock.unlock();
    if (speculation_ && now >= last_speculation + speculation_interval_) {
      last_speculation = now;
      checkSpeculatableTasks();
    }
    lock.lock();
    if (now >= revive_at) {
      last_revive = now;
      makeOffersLocked();
      checkReceiverCoresLocked();
    }
  }
}

void TaskScheduler::submitTasks(std::shared_ptr<const TaskSet> task_set) {
  std::lock_guard<std::mutex> lock(mu_);
  spdlog::debug("submitting task set {} with {} tasks to pool '{}'", task_set->name(), task_set->partitions.size(),
                task_set->pool);
  std::string pool = task_set->pool;
  if (!task_set->awaited_stage_ids.empty()) {
    prescheduled_[{task_set->stage_id, task_set->stage_attempt}].awaited = task_set->binary->awaited_shuffles.size();
  }
  managers_.push_back(std::make_unique<TaskSetManager>(std::move(task_set), task_set_config_, clock_));
  TaskSetManager* m = managers_.back().get();
  m->executorsChanged(runnableExecutorsLocked());
  poolFor(*root_, pool)->addTaskSet(m);
  makeOffersLocked();
  wake_ = true;
  stop_cv_.notify_all();
}

void TaskScheduler::cancelStage(int stage_id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& m : managers_) {
    const TaskSet& ts = m->taskSet();
    if (ts.stage_id != stage_id) continue;
    m->markZombie();
    auto pre = prescheduled_.find({ts.stage_id, ts.stage_attempt});
    if (pre == prescheduled_.end() || pre->second.released()) continue;
    // Held on their executors, never started: killing them frees their slots.
    for (const KillOrder& k : m->runningAttempts()) {
      backend_->killTask(k.executor_id, k.task_id, "its pre-scheduled stage " + ts.name() + " was withdrawn");
    }
  }
  dropFinishedLocked();
}

void TaskScheduler::mapOutputsAvailable(int stage_id, int stage_attempt, int shuffle_id,
                                        std::vector<rpc::MapLocation> outputs) {
  std::lock_guard<std::mutex> lock(mu_);
  auto pre = prescheduled_.find({stage_id, stage_attempt});
  if (pre == prescheduled_.end()) return;  // cancelled meanwhile
  rpc::MapOutputsAvailable msg{stage_id, stage_attempt, shuffle_id, std::move(outputs)};
  for (const std::string& executor_id : pre->second.executors) backend_->sendMapOutputs(executor_id, msg);
  pre->second.outputs[shuffle_id] = std::move(msg.outputs);
}

bool TaskScheduler::parentsLaunchedLocked(const TaskSetManager& m) const {
  const auto& parents = m.taskSet().awaited_stage_ids;
  for (const auto& other : managers_) {
    if (other->isZombie() || other->allLaunched()) continue;
    if (std::find(parents.begin(), parents.end(), other->taskSet().stage_id) != parents.end()) return false;
  }
  return true;
}

void TaskScheduler::sendKnownOutputsLocked(const std::string& executor_id, const std::vector<TaskDescription>& tasks) {
  for (const TaskDescription& task : tasks) {
    auto pre = prescheduled_.find({task.stage_id, task.stage_attempt});
    if (pre == prescheduled_.end() || !pre->second.executors.insert(executor_id).second) continue;
    for (const auto& [shuffle_id, outputs] : pre->second.outputs) {
      backend_->sendMapOutputs(executor_id, rpc::MapOutputsAvailable{task.stage_id, task.stage_attempt, shuffle_id, outputs});
    }
  }
}

void TaskScheduler::statusUpdate(rpc::TaskStatus status) {
  std::vector<rpc::TaskStatus> one;
  one.push_back(std::move(status));
  statusUpdates(std::move(one));
}

void TaskScheduler::statusUpdates(std::vector<rpc::TaskStatus> statuses) {
  std::vector<TaskEnd> ends;
  std::vector<std::tuple<int, int, std::string>> aborts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (rpc::TaskStatus& status : statuses) statusUpdateLocked(status, ends, aborts);
    dropFinishedLocked();
    makeOffersLocked();
  }
  for (TaskEnd& end : ends) listener_->taskEnded(std::move(end));
  for (auto& [stage, attempt, why] : aborts) listener_->taskSetFailed(stage, attempt, std::move(why));
}

void TaskScheduler::statusUpdateLocked(rpc::TaskStatus& status, std::vector<TaskEnd>& ends,
                                       std::vector<std::tuple<int, int, std::string>>& aborts) {
  auto exec = executors_.find(status.executor_id);
  TaskSetManager* m = managerOfLocked(status.task_id);
  if (exec != executors_.end()) {
    // A task of a lost-and-re-registered id, or one the scheduler no longer knows, still
    // frees its slot only if it was counted on this executor.
    if (m && exec->second.in_flight > 0) --exec->second.in_flight;
    for (auto [rdd_id, split] : status.cached_partitions) cache_.add(rdd_id, split, exec->first, exec->second.host);
  }
  if (!m) return;
  const TaskSet& ts = m->taskSet();
  if (ts.placement.long_running && exec != executors_.end()) holdCoreLocked(exec->second, -1);
  auto desc = m->launched(status.task_id);
  TaskEnd e;
  e.stage_id = ts.stage_id;
  e.stage_attempt = ts.stage_attempt;
  e.partition = desc->partition;
  e.state = status.state;
  e.executor_id = status.executor_id;
  e.executor_endpoint = exec != executors_.end() ? exec->second.endpoint : "";
  e.metrics = status.metrics;
  e.task_id = status.task_id;
  e.locality = desc->locality;
  e.speculative = desc->speculative;
  e.launch_nanos = desc->launch_nanos;
  task_owner_.erase(status.task_id);
  switch (status.state) {
    case rpc::TaskState::kFinished: {
      std::vector<KillOrder> kill;
      if (m->handleSuccess(status.task_id, &kill)) {
        spdlog::debug("finished task {} (stage {} partition {}) in {} ms on executor {} ({}{})", status.task_id,
                      ts.name(), e.partition, status.metrics.run_nanos / 1000000, status.executor_id,
                      localityName(e.locality), e.speculative ? ", speculative" : "");
        e.result = std::move(status.result);
        ends.push_back(std::move(e));
      }
      for (const KillOrder& k : kill) backend_->killTask(k.executor_id, k.task_id, "another attempt succeeded");
      break;
    }
    case rpc::TaskState::kFetchFailed:
      // The map output is gone: no retry here, the DAGScheduler resubmits the parent stage.
      m->handleFailure(status.task_id, status.error, TaskFailure::kFetchFailed);
      m->markZombie();
      e.error = status.error;
      e.fetch_shuffle_id = status.fetch_shuffle_id;
      e.fetch_map_id = status.fetch_map_id;
      e.fetch_executor_id = status.fetch_executor_id;
      ends.push_back(std::move(e));
      break;
    case rpc::TaskState::kFailed:
    case rpc::TaskState::kKilled: {
      bool counts = status.state == rpc::TaskState::kFailed;
      if (counts) {
        int usable = 0;
        for (auto& [id, info] : executors_) usable += !exclusion_.isExcluded(id);
        exclusion_.taskFailed(status.executor_id, usable);
      }
      if (auto why = m->handleFailure(status.task_id, status.error,
                                      counts ? TaskFailure::kFailed : TaskFailure::kKilled)) {
        aborts.emplace_back(ts.stage_id, ts.stage_attempt, std::move(*why));
      }
      e.error = status.error;
      ends.push_back(std::move(e));  // for the listeners (the UI counts failed and killed tasks)
      break;
    }
  }
}

void TaskScheduler::executorAdded(ExecutorInfo info) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    info.in_flight = 0;
    spdlog::info("executor {} added on {} with {} cores", info.id, info.host, info.cores);
    executors_[info.id] = info;
    executorsChangedLocked();
    makeOffersLocked();
  }
  listener_->executorAdded(ExecutorAdded{info.id, info.host, info.endpoint, info.cores});
}

void TaskScheduler::executorLost(const std::string& executor_id, const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!executors_.erase(executor_id)) return;
    spdlog::warn("executor {} lost: {}", executor_id, reason);
    exclusion_.executorRemoved(executor_id);
    cache_.removeExecutor(executor_id);
    for (auto& m : managers_) {
      for (int64_t task_id : m->executorLost(executor_id, reason)) task_owner_.erase(task_id);
    }
    executorsChangedLocked();
    dropFinishedLocked();
    makeOffersLocked();
  }
  listener_->executorLost(executor_id, reason);
}

void TaskScheduler::reviveOffers() {
  std::lock_guard<std::mutex> lock(mu_);
  makeOffersLocked();
}

void TaskScheduler::checkSpeculatableTasks() {
  std::lock_guard<std::mutex> lock(mu_);
  bool any = false;
  for (auto& m : managers_) any |= m->checkSpeculatableTasks(speculation_min_runtime_ms_);
  if (any) makeOffersLocked();
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

int TaskScheduler::runningTasksInPool(const std::string& pool) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (root_->mode() == SchedulingMode::kFifo) return root_->runningTasks();
  const Pool* p = root_->childPool(pool);
  return p ? p->runningTasks() : 0;
}

std::vector<StageProgress> TaskScheduler::activeStages() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StageProgress> out;
  for (const auto& m : managers_) {
    const TaskSet& ts = m->taskSet();
    if (m->isZombie() || ts.placement.long_running) continue;
    out.push_back({ts.stage_id, ts.stage_attempt, static_cast<int>(ts.partitions.size()), m->numSucceeded(),
                   m->runningTasks()});
  }
  return out;
}

std::map<std::string, std::string> TaskScheduler::runnableExecutorsLocked() const {
  std::map<std::string, std::string> runnable;
  for (const auto& [id, e] : executors_) {
    if (e.held_cores < e.cores) runnable[id] = e.host;
  }
  return runnable;
}

void TaskScheduler::executorsChangedLocked() {
  auto runnable = runnableExecutorsLocked();
  for (auto& m : managers_) m->executorsChanged(runnable);
}

void TaskScheduler::holdCoreLocked(ExecutorInfo& exec, int held) {
  bool was_runnable = exec.held_cores < exec.cores;
  exec.held_cores = std::max(0, exec.held_cores + held);
  bool runnable = exec.held_cores < exec.cores;
  if (!runnable && warned_held_.insert(exec.id).second) {
    spdlog::warn(
        "receivers hold all {} core(s) of executor {}: it runs no other task, and tasks that prefer its blocks run "
        "elsewhere without waiting for locality (give executors more cores than the receivers they run)",
        exec.cores, exec.id);
  }
  if (runnable != was_runnable) executorsChangedLocked();
}

void TaskScheduler::checkReceiverCoresLocked() {
  int cores = 0, held = 0;
  for (const auto& [id, e] : executors_) {
    cores += e.cores;
    held += std::min(e.held_cores, e.cores);
  }
  all_held_checks_ = cores > 0 && held >= cores ? all_held_checks_ + 1 : 0;
  if (all_held_checks_ >= 2 && !warned_all_held_) {
    warned_all_held_ = true;
    spdlog::warn(
        "receivers hold all {} core(s) of the application: no batch can run. The number of cores must exceed the "
        "number of receivers (local[n] with n > receivers, or more executors or executor cores)",
        cores);
  }
}

void TaskScheduler::makeOffersLocked() {
  for (const auto& id : exclusion_.expire()) spdlog::debug("executor {} may run tasks again", id);
  // One task per round, re-sorting between rounds: a launch changes the FAIR order.
  while (launchOneLocked()) {
  }
  for (auto& [executor_id, tasks] : round_) {
    if (tasks.empty()) continue;
    if (!prescheduled_.empty()) sendKnownOutputsLocked(executor_id, tasks);
    backend_->launchTasks(executor_id, tasks);
  }
  round_.clear();
}

int TaskScheduler::slotsLocked(const ExecutorInfo& exec) const {
  int held = std::min(exec.held_cores, exec.cores);
  return held + (exec.cores - held) * pipeline_depth_;
}

bool TaskScheduler::launchOneLocked() {
  std::vector<ExecutorInfo*> offers;
  for (auto& [id, exec] : executors_) {
    if (exec.in_flight < slotsLocked(exec) && !exclusion_.isExcluded(id)) offers.push_back(&exec);
  }
  if (offers.empty()) return false;
  std::rotate(offers.begin(), offers.begin() + static_cast<std::ptrdiff_t>(next_executor_ % offers.size()),
              offers.end());
  // A free core first; then a place in an executor's queue (pipelineDepth > 1).
  auto has_free_core = [](const ExecutorInfo* e) { return e->in_flight < e->cores; };
  std::stable_partition(offers.begin(), offers.end(), has_free_core);
  for (TaskSetManager* m : root_->sortedTaskSets()) {
    if (m->isZombie()) continue;
    if (!m->taskSet().awaited_stage_ids.empty() && !parentsLaunchedLocked(*m)) continue;
    bool long_running = m->taskSet().placement.long_running;
    for (TaskLocality level : m->localityLevels()) {
      for (ExecutorInfo* exec : offers) {
        if (long_running && exec->in_flight >= exec->cores) continue;  // never behind queued tasks
        auto task = m->resourceOffer(exec->id, exec->host, level, next_task_id_);
        if (!task) continue;
        ++next_task_id_;
        ++next_executor_;
        ++exec->in_flight;
        task_owner_[task->task_id] = m;
        round_[exec->id].push_back(std::move(*task));
        if (long_running) holdCoreLocked(*exec, +1);
        return true;
      }
    }
  }
  return false;
}

TaskSetManager* TaskScheduler::managerOfLocked(int64_t task_id) {
  auto it = task_owner_.find(task_id);
  return it == task_owner_.end() ? nullptr : it->second;
}

void TaskScheduler::dropFinishedLocked() {
  for (auto it = managers_.begin(); it != managers_.end();) {
    if ((*it)->finished()) {
      backend_->releaseStage((*it)->taskSet().stage_id, (*it)->taskSet().stage_attempt);
      prescheduled_.erase({(*it)->taskSet().stage_id, (*it)->taskSet().stage_attempt});
      root_->removeTaskSet(it->get());
      it = managers_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace sluice
