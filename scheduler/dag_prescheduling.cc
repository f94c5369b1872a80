// The DAGScheduler's pre-scheduled reducers (Drizzle's pre-scheduling of shuffle
// dependencies; scheduler/SCHEDULING.md, "Pre-scheduled reducers"): a reduce stage is
// submitted together with the map stages it reads, its tasks wait on their executors, and
// the map outputs are forwarded to them when a map stage finishes, so that no second
// launch round is needed. Any failure that touches a parent first withdraws the child,
// which then waits for its parents as without pre-scheduling.
#include <spdlog/spdlog.h>

#include "scheduler/dag_scheduler.h"

namespace sluice {

bool DAGScheduler::mayPreSchedule(Stage* stage, const std::vector<Stage*>& missing) {
  if (missing.empty() || stage->pre_schedule_withdrawn) return false;
  auto job = jobs_.find(jobIdForStage(stage));
  if (job == jobs_.end() || !job->second.placement.pre_schedule_reducers.value_or(pre_schedule_reducers_)) {
    return false;
  }
  // One level: each parent runs now on outputs that are available (it awaits nothing).
  for (Stage* parent : missing) {
    if (!running_.count(parent) || prescheduled_.count(parent) || parent->pending.empty()) return false;
  }
  return true;
}

void DAGScheduler::releasePreScheduledChildren(Stage* parent) {
  int shuffle_id = parent->shuffle->shuffleId();
  for (auto it = prescheduled_.begin(); it != prescheduled_.end();) {
    if (!it->second.erase(parent)) {
      ++it;
      continue;
    }
    Stage* child = it->first;
    spdlog::debug("stage {}.{}: the outputs of shuffle {} go to its waiting tasks", child->id, child->latest_attempt,
                  shuffle_id);
    task_scheduler_->mapOutputsAvailable(child->id, child->latest_attempt, shuffle_id, tracker_.locations(shuffle_id));
    it = it->second.empty() ? prescheduled_.erase(it) : std::next(it);
  }
}

void DAGScheduler::withdrawPreScheduledChildren(Stage* parent, const std::string& why) {
  std::vector<Stage*> children;
  for (auto& [child, parents] : prescheduled_) {
    if (parents.count(parent)) children.push_back(child);
  }
  for (Stage* child : children) withdrawPreScheduled(child, why);
}

void DAGScheduler::withdrawPreScheduled(Stage* stage, const std::string& why) {
  prescheduled_.erase(stage);
  stage->pre_schedule_withdrawn = true;
  spdlog::info("stage {}.{}: pre-scheduled attempt withdrawn ({}); it runs when its parents have finished", stage->id,
               stage->latest_attempt, why);
  if (running_.erase(stage)) {
    task_scheduler_->cancelStage(stage->id);  // kills its held tasks: none of them ran
    notifyStageEnded(stage, "pre-scheduled attempt withdrawn: " + why);
  }
  stage->pending.clear();
  waiting_.insert(stage);
}

}  // namespace sluice
