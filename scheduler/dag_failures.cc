// The DAGScheduler's failure handling: lost map output (fetch failures, lost executors)
// and task sets that exhausted their retries.
#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "scheduler/dag_scheduler.h"

namespace sluice {

void DAGScheduler::onFetchFailed(Stage* stage, TaskEnd& e) {
  Stage* map_stage = nullptr;
  for (Stage* p : stage->parents) {
    if (p->shuffle->shuffleId() == e.fetch_shuffle_id) map_stage = p;
  }
  spdlog::warn("stage {} lost shuffle {} map {} on executor {}: {}", stage->id, e.fetch_shuffle_id, e.fetch_map_id,
               e.fetch_executor_id, e.error);
  if (e.fetch_map_id >= 0) tracker_.unregisterOutput(e.fetch_shuffle_id, e.fetch_map_id);
  if (!e.fetch_executor_id.empty()) tracker_.removeOutputsOnExecutor(e.fetch_executor_id);
  if (e.stage_attempt != stage->latest_attempt) return;  // a late report of an earlier attempt
  if (running_.erase(stage)) {
    task_scheduler_->cancelStage(stage->id);
    notifyStageEnded(stage, "FetchFailed: " + e.error);
  }
  if (stage->last_failed_attempt != e.stage_attempt) {  // the attempt's first fetch failure
    stage->last_failed_attempt = e.stage_attempt;
    int max_attempts = static_cast<int>(conf_.get(keys::kStageMaxConsecutiveAttempts));
    if (++stage->failed_attempts >= max_attempts) {
      std::string why = "Stage " + std::to_string(stage->id) + " (" + stage->rdd->name() + ") failed " +
                        std::to_string(stage->failed_attempts) + " times after fetch failures; last: " + e.error;
      for (auto& [id, job] : std::map<int, Job>(jobs_)) {
        if (stage->job_ids.count(id)) finishJob(id, Status::aborted("Job aborted due to stage failure: " + why));
      }
      return;
    }
  }
  bool first = failed_.empty();
  failed_.insert(stage);
  if (map_stage) failed_.insert(map_stage);
  if (first) loop_.postDelayed(ResubmitFailedStages{}, conf_.get(keys::kStageRetryDelay));
}

void DAGScheduler::onResubmitFailedStages() {
  std::vector<Stage*> stages(failed_.begin(), failed_.end());
  failed_.clear();
  std::sort(stages.begin(), stages.end(), [](Stage* a, Stage* b) { return a->first_job_id < b->first_job_id; });
  for (Stage* s : stages) {
    spdlog::info("resubmitting stage {} after a fetch failure", s->id);
    submitStage(s);
  }
}

void DAGScheduler::onTaskSetFailed(TaskSetFailed& e) {
  Stage* stage = builder_.stage(e.stage_id);
  if (!stage) return;
  std::string why = "Job aborted due to stage failure: " + e.reason;
  spdlog::error("{}", why);
  withdrawPreScheduledChildren(stage, "parent stage " + std::to_string(stage->id) + " failed");
  if (running_.erase(stage)) notifyStageEnded(stage, e.reason);
  std::vector<int> affected;
  for (auto& [id, job] : jobs_) {
    if (stage->job_ids.count(id)) affected.push_back(id);
  }
  for (int id : affected) finishJob(id, Status::aborted(why));
}

void DAGScheduler::onExecutorLost(ExecutorLost& e) {
  int lost = tracker_.removeOutputsOnExecutor(e.executor_id);
  if (lost > 0) spdlog::info("executor {} lost: {} map outputs will be recomputed", e.executor_id, lost);
  for (auto* l : listeners_) l->onExecutorRemoved(ExecutorRemoved{e.executor_id, e.reason});
  // Pre-scheduled stages fall back to waiting for their parents, as without pre-scheduling.
  for (auto& [stage, parents] : std::map<Stage*, std::set<Stage*>>(prescheduled_)) {
    withdrawPreScheduled(stage, "executor " + e.executor_id + " lost");
  }
  // A running map stage whose finished outputs were lost is resubmitted when its tasks end
  // (onMapTaskSucceeded); a finished one when a reducer fails to fetch.
  for (Stage* s : std::set<Stage*>(running_)) {
    if (s->isMap() && s->pending.empty() && !builder_.isAvailable(s)) {
      running_.erase(s);
      notifyStageEnded(s, "executor " + e.executor_id + " lost map outputs of the stage");
      submitStage(s);
    }
  }
}

}  // namespace sluice

namespace sluice {

void DAGScheduler::onCancelJobGroup(CancelJobGroup& e) {
  std::vector<int> cancelled;
  for (auto& [id, job] : jobs_) {
    if (job.info.group == e.group) cancelled.push_back(id);
  }
  if (!cancelled.empty()) spdlog::info("cancelling {} job(s) of group {}: {}", cancelled.size(), e.group, e.reason);
  for (int id : cancelled) finishJob(id, Status::aborted("Job cancelled: " + e.reason));
}

bool DAGScheduler::canProgress(Stage* stage, std::set<Stage*>& seen) {
  if (running_.count(stage) || failed_.count(stage)) return true;
  if (!waiting_.count(stage) || !seen.insert(stage).second) return false;
  auto missing = builder_.missingParents(stage);
  // Ready, yet nobody submits it; or waiting only for parents nothing will run.
  for (Stage* parent : missing) {
    if (canProgress(parent, seen)) return true;
  }
  return false;
}

void DAGScheduler::failStuckJobs() {
  std::vector<int> stuck;
  for (auto& [id, job] : jobs_) {
    std::set<Stage*> seen;
    if (!canProgress(job.final_stage, seen)) stuck.push_back(id);
  }
  for (int id : stuck) {
    spdlog::error("job {} has no stage that can run; failing it instead of waiting forever", id);
    finishJob(id, Status::internal("Job aborted: none of its stages can run (a scheduler error)"));
  }
}

}  // namespace sluice
