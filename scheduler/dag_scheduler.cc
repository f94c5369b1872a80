#include "scheduler/dag_scheduler.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "common/clock.h"
#include "rdd/node.h"
#include "scheduler/cache_locations.h"
#include "scheduler/reduce_locality.h"

namespace sluice {

DAGScheduler::DAGScheduler(const Conf& conf, MapOutputTracker& tracker)
    : conf_(conf),
      tracker_(tracker),
      builder_(tracker),
      loop_("dag-scheduler", [this](Event&& e) { handle(std::move(e)); }),
      pre_schedule_reducers_(conf.get(keys::kSchedulerPreScheduleReducers)) {}

DAGScheduler::~DAGScheduler() { stop(); }

void DAGScheduler::start() { loop_.start(); }

namespace {
constexpr const char* kShutDown = "Job cancelled because the context was shut down";
}  // namespace

void DAGScheduler::stop() {
  loop_.stop();  // joins the loop thread: its state is this thread's now
  for (auto& event : loop_.takeUnhandled()) {
    if (auto* e = std::get_if<JobSubmitted>(&event)) e->promise->set_value(Status::aborted(kShutDown));
  }
  for (auto& [id, job] : jobs_) job.promise->set_value(Status::aborted(kShutDown));
  jobs_.clear();
}

std::future<JobResult> DAGScheduler::submitJob(std::shared_ptr<RDDBase> rdd, std::vector<int> partitions,
                                               std::string pool, std::string group,
                                               TaskSetPlacement placement, bool quiet_log) {
  auto promise = std::make_shared<std::promise<JobResult>>();
  auto future = promise->get_future();
  if (!loop_.post(JobSubmitted{next_job_id_++, std::move(rdd), std::move(partitions), std::move(pool), promise,
                               std::move(group), placement, quiet_log})) {
    promise->set_value(Status::aborted(kShutDown));
  }
  return future;
}

void DAGScheduler::cancelJobGroup(std::string group, std::string reason) {
  loop_.post(CancelJobGroup{std::move(group), std::move(reason)});
}

void DAGScheduler::removeListener(SchedulerListener* listener) {
  auto done = std::make_shared<std::promise<void>>();
  auto removed = done->get_future();
  loop_.post(RemoveListener{listener, done});
  while (removed.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
    if (loop_.stopped()) {  // the event is dropped; stop() joined the loop, so no call is under way
      std::erase(listeners_, listener);
      return;
    }
  }
}

void DAGScheduler::taskEnded(TaskEnd end) { loop_.post(std::move(end)); }

void DAGScheduler::taskSetFailed(int stage_id, int stage_attempt, std::string reason) {
  loop_.post(TaskSetFailed{stage_id, stage_attempt, std::move(reason)});
}

void DAGScheduler::executorLost(const std::string& executor_id, const std::string& reason) {
  loop_.post(ExecutorLost{executor_id, reason});
}

void DAGScheduler::executorAdded(const ExecutorAdded& executor) { loop_.post(executor); }

void DAGScheduler::handle(Event&& event) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, JobSubmitted>) onJobSubmitted(e);
        else if constexpr (std::is_same_v<E, TaskEnd>) onTaskEnd(e);
        else if constexpr (std::is_same_v<E, TaskSetFailed>) onTaskSetFailed(e);
        else if constexpr (std::is_same_v<E, ExecutorLost>) onExecutorLost(e);
        else if constexpr (std::is_same_v<E, AddListener>) listeners_.push_back(e.listener);
        else if constexpr (std::is_same_v<E, CleanShuffles>) cleanShuffles();
        else if constexpr (std::is_same_v<E, RemoveListener>) {
          std::erase(listeners_, e.listener);
          e.done->set_value();
        }
        else if constexpr (std::is_same_v<E, CancelJobGroup>) onCancelJobGroup(e);
        else if constexpr (std::is_same_v<E, ExecutorAdded>) {
          for (auto* l : listeners_) l->onExecutorAdded(e);
        }
        else onResubmitFailedStages();
      },
      event);
  failStuckJobs();
}

void DAGScheduler::onJobSubmitted(JobSubmitted& e) {
  Job job;
  job.info.job_id = e.job_id;
  job.info.submit_nanos = monotonicNanos();
  job.info.group = e.group;
  job.info.name = e.rdd->name();
  job.partitions = e.partitions;
  for (size_t i = 0; i < e.partitions.size(); ++i) job.index_of[e.partitions[i]] = i;
  job.results.resize(e.partitions.size());
  job.finished.assign(e.partitions.size(), false);
  job.pool = e.pool;
  job.placement = e.placement;
  job.promise = e.promise;
  job.quiet_log = e.quiet_log;
  job.final_stage = builder_.createResultStage(e.rdd, e.job_id);
  auto stages = builder_.lineageStages(job.final_stage);
  std::sort(stages.begin(), stages.end(), [](const Stage* a, const Stage* b) { return a->id < b->id; });
  for (Stage* s : stages) {  // ascending ids, parents before children, as Spark lists them
    job.info.stage_ids.push_back(s->id);
    job.info.stage_num_tasks.push_back(s == job.final_stage ? static_cast<int>(e.partitions.size())
                                                            : s->numPartitions());
  }
  spdlog::log(e.quiet_log ? spdlog::level::debug : spdlog::level::info, "job {} started: {} partitions of {}, {} stages", e.job_id, e.partitions.size(),
              e.rdd->name(), job.info.stage_ids.size());
  Stage* final_stage = job.final_stage;
  jobs_.emplace(e.job_id, std::move(job));
  for (auto* l : listeners_) l->onJobStart(jobs_[e.job_id].info);
  if (e.partitions.empty()) {
    finishJob(e.job_id, Status::ok());
    return;
  }
  submitStage(final_stage);
}

int DAGScheduler::jobIdForStage(const Stage* stage) const {
  // The earliest active job that needs the stage.
  for (int id : stage->job_ids) {
    if (jobs_.count(id)) return id;
  }
  return -1;
}

DAGScheduler::Job* DAGScheduler::jobOf(const Stage* stage) {
  // A result stage belongs to the one job that created it: a lookup, not a scan of the
  // active jobs per finished task.
  auto it = jobs_.find(stage->first_job_id);
  return it != jobs_.end() && it->second.final_stage == stage ? &it->second : nullptr;
}

void DAGScheduler::submitStage(Stage* stage) {
  if (jobIdForStage(stage) < 0) return;
  if (waiting_.count(stage) || running_.count(stage) || failed_.count(stage)) return;
  auto missing = builder_.missingParents(stage);
  if (missing.empty()) {
    submitMissingTasks(stage);
    return;
  }
  for (Stage* parent : missing) submitStage(parent);
  if (mayPreSchedule(stage, missing)) {
    submitMissingTasks(stage, missing);
    return;
  }
  waiting_.insert(stage);
}

void DAGScheduler::submitMissingTasks(Stage* stage, const std::vector<Stage*>& awaited) {
  int job_id = jobIdForStage(stage);
  auto task_set = std::make_shared<TaskSet>();
  task_set->stage_id = stage->id;
  task_set->stage_attempt = stage->latest_attempt = stage->next_attempt++;
  task_set->job_id = job_id;
  task_set->is_map_stage = stage->isMap();
  if (auto job = jobs_.find(job_id); job != jobs_.end()) {  // all of the job's stages
    task_set->pool = job->second.pool;
    task_set->placement = job->second.placement;
  }
  stage->pending.clear();
  if (stage->isMap()) {
    for (int p : tracker_.missingMaps(stage->shuffle->shuffleId())) task_set->partitions.push_back(p);
  } else {
    Job* job = jobOf(stage);
    for (size_t i = 0; i < job->partitions.size(); ++i) {
      if (!job->finished[i]) task_set->partitions.push_back(job->partitions[i]);
    }
  }
  for (auto& [id, job] : jobs_) {
    if (stage->job_ids.count(id)) job.submitted_stages.insert(stage->id);
  }
  if (task_set->partitions.empty()) {
    markStageFinished(stage);
    submitWaitingChildren(stage);
    return;
  }
  auto binary = std::make_shared<rpc::StageBinary>();
  binary->is_map_stage = stage->isMap();
  const Node* root = stage->isMap() ? static_cast<const Node*>(stage->shuffle.get()) : stage->rdd.get();
  binary->lineage = encodeLineage({root});
  for (auto& dep : StageBuilder::shuffleInputs(stage->rdd)) {
    int shuffle_id = dep->shuffleId();
    bool later = std::any_of(awaited.begin(), awaited.end(),
                             [&](const Stage* p) { return p->shuffle->shuffleId() == shuffle_id; });
    if (later) binary->awaited_shuffles.push_back(shuffle_id);
    else binary->shuffle_inputs[shuffle_id] = tracker_.locations(shuffle_id);
  }
  for (const Stage* p : awaited) task_set->awaited_stage_ids.push_back(p->id);
  task_set->binary = binary;
  // Reducers of one shuffle prefer the executors holding most of its map output.
  std::vector<std::string> reduce_prefs;
  if (binary->shuffle_inputs.size() == 1 && conf_.get(keys::kShuffleReduceLocalityEnabled)) {
    reduce_prefs = reducerPreferredLocations(binary->shuffle_inputs.begin()->second);
  }
  bool any_preferred = false;
  for (int p : task_set->partitions) {
    task_set->preferred.push_back(preferredLocationsWithCache(task_scheduler_->cacheLocations(), stage->rdd, p));
    if (task_set->preferred.back().empty()) task_set->preferred.back() = reduce_prefs;
    any_preferred |= !task_set->preferred.back().empty();
  }
  if (!any_preferred) task_set->preferred.clear();
  stage->pending.insert(task_set->partitions.begin(), task_set->partitions.end());
  running_.insert(stage);
  if (!awaited.empty()) {
    prescheduled_[stage] = std::set<Stage*>(awaited.begin(), awaited.end());
    spdlog::debug("stage {}.{} pre-scheduled: its tasks await the outputs of {} parent stage(s)", stage->id,
                  task_set->stage_attempt, awaited.size());
  }
  StageInfo info{stage->id, task_set->stage_attempt, stage->isMap(), static_cast<int>(task_set->partitions.size()),
                 stage->rdd->name(), task_set->pool, ""};
  spdlog::debug("submitting stage {}.{} ({}) with {} tasks", stage->id, info.attempt, info.name, info.num_tasks);
  for (auto* l : listeners_) l->onStageSubmitted(info);
  task_scheduler_->submitTasks(std::move(task_set));
}

void DAGScheduler::onTaskEnd(TaskEnd& e) {
  for (auto* l : listeners_) l->onTaskEnd(e);
  Stage* stage = builder_.stage(e.stage_id);
  if (!stage) return;
  if (!prescheduled_.empty() && (e.state == rpc::TaskState::kFailed || e.state == rpc::TaskState::kFetchFailed)) {
    withdrawPreScheduledChildren(stage, "a task of parent stage " + std::to_string(stage->id) + " failed");
  }
  switch (e.state) {
    case rpc::TaskState::kFinished:
      if (stage->isMap()) onMapTaskSucceeded(stage, e);
      else onResultTaskSucceeded(stage, e);
      break;
    case rpc::TaskState::kFetchFailed:
      onFetchFailed(stage, e);
      break;
    default:
      break;
  }
}

void DAGScheduler::onMapTaskSucceeded(Stage* stage, TaskEnd& e) {
  tracker_.registerOutput(stage->shuffle->shuffleId(), e.partition, {e.partition, e.executor_id, e.executor_endpoint});
  if (e.stage_attempt != stage->latest_attempt) return;
  stage->pending.erase(e.partition);
  if (stage->pending.empty() && running_.count(stage)) {
    markStageFinished(stage);
    if (!builder_.isAvailable(stage)) {
      spdlog::info("stage {} finished but lost map outputs {}; resubmitting", stage->id,
                   tracker_.missingMaps(stage->shuffle->shuffleId()).size());
      withdrawPreScheduledChildren(stage, "parent stage " + std::to_string(stage->id) + " lost map outputs");
      submitStage(stage);
    } else {
      releasePreScheduledChildren(stage);
      submitWaitingChildren(stage);
    }
  }
}

void DAGScheduler::onResultTaskSucceeded(Stage* stage, TaskEnd& e) {
  Job* job = jobOf(stage);
  if (!job) return;
  auto it = job->index_of.find(e.partition);
  if (it == job->index_of.end() || job->finished[it->second]) return;
  size_t i = it->second;
  job->finished[i] = true;
  job->results[i] = std::move(e.result);
  stage->pending.erase(e.partition);
  if (++job->num_finished == static_cast<int>(job->partitions.size())) {
    markStageFinished(stage);
    finishJob(job->info.job_id, Status::ok());
  }
}

void DAGScheduler::markStageFinished(Stage* stage) {
  running_.erase(stage);
  stage->failed_attempts = 0;
  notifyStageEnded(stage, "");
}

void DAGScheduler::notifyStageEnded(const Stage* stage, const std::string& failure) {
  StageInfo info{stage->id, stage->latest_attempt, stage->isMap(), 0, stage->rdd->name(), "", failure};
  for (auto* l : listeners_) l->onStageCompleted(info);
}

void DAGScheduler::submitWaitingChildren(Stage* parent) {
  // As Spark's submitWaitingChildStages: every waiting child of the finished stage is
  // submitted again, which also resubmits any other parent whose outputs were lost since
  // (an executor lost while the child waited), instead of waiting for it forever.
  std::vector<Stage*> children;
  for (Stage* s : waiting_) {
    if (std::find(s->parents.begin(), s->parents.end(), parent) != s->parents.end()) children.push_back(s);
  }
  std::sort(children.begin(), children.end(), [](Stage* a, Stage* b) { return a->first_job_id < b->first_job_id; });
  for (Stage* s : children) {
    waiting_.erase(s);
    submitStage(s);
  }
}

void DAGScheduler::finishJob(int job_id, Status status) {
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return;
  Job& job = it->second;
  job.info.end_nanos = monotonicNanos();
  job.info.succeeded = status.isOk();
  job.info.error = status.message();
  for (int id : job.info.stage_ids) {
    if (!job.submitted_stages.count(id)) job.info.skipped_stage_ids.push_back(id);
  }
  int64_t took_ms = (job.info.end_nanos - job.info.submit_nanos) / 1'000'000;
  auto level = job.quiet_log ? spdlog::level::debug : spdlog::level::info;
  if (status.isOk()) spdlog::log(level, "job {} finished in {} ms", job_id, took_ms);
  else spdlog::log(level, "job {} failed after {} ms: {}", job_id, took_ms, status.message());
  for (auto* l : listeners_) l->onJobEnd(job.info);
  if (status.isOk()) job.promise->set_value(std::move(job.results));
  else job.promise->set_value(status);
  Stage* final_stage = job.final_stage;
  for (Stage* s : builder_.lineageStages(final_stage)) s->job_ids.erase(job_id);
  jobs_.erase(it);
  // Stages no active job needs any more stop waiting or running.
  for (auto* set : {&waiting_, &running_, &failed_}) {
    for (auto s = set->begin(); s != set->end();) {
      if (jobIdForStage(*s) < 0) {
        if (set == &running_) {
          prescheduled_.erase(*s);
          task_scheduler_->cancelStage((*s)->id);
          notifyStageEnded(*s, status.isOk() ? "no active job needs the stage" : status.message());
        }
        s = set->erase(s);
      } else {
        ++s;
      }
    }
  }
  builder_.removeResultStage(final_stage);
  cleanShuffles();
}

void DAGScheduler::cleanShuffles() {
  std::set<Stage*> busy(running_.begin(), running_.end());
  busy.insert(waiting_.begin(), waiting_.end());
  busy.insert(failed_.begin(), failed_.end());
  for (auto& [id, job] : jobs_) {
    for (Stage* s : builder_.lineageStages(job.final_stage)) busy.insert(s);
  }
  auto removed = builder_.pruneUnreferenced(busy);
  if (!removed.empty() && cleaner_) cleaner_(removed);
}

}  // namespace sluice
