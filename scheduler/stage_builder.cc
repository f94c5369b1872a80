#include "scheduler/stage_builder.h"

#include <algorithm>
#include <set>

namespace sluice {

std::vector<std::shared_ptr<ShuffleDependencyBase>> StageBuilder::shuffleInputs(const std::shared_ptr<RDDBase>& rdd) {
  std::vector<std::shared_ptr<ShuffleDependencyBase>> out;
  std::set<const RDDBase*> visited;
  std::vector<std::shared_ptr<RDDBase>> todo{rdd};
  while (!todo.empty()) {
    auto r = todo.back();
    todo.pop_back();
    if (!visited.insert(r.get()).second) continue;
    for (auto& dep : r->dependencies()) {
      if (dep.shuffle) out.push_back(dep.shuffle);
      else if (dep.narrow_parent) todo.push_back(dep.narrow_parent);
    }
  }
  return out;
}

Stage* StageBuilder::newStage(std::shared_ptr<RDDBase> rdd, std::shared_ptr<ShuffleDependencyBase> shuffle, int job_id) {
  auto stage = std::make_unique<Stage>();
  // Parents first, then this stage's id (Spark's createResultStage and
  // createShuffleMapStage): ids grow from the first map stage to the result stage.
  for (auto& dep : shuffleInputs(rdd)) stage->parents.push_back(mapStageFor(dep, job_id));
  stage->id = next_stage_id_++;
  stage->rdd = std::move(rdd);
  stage->shuffle = std::move(shuffle);
  stage->first_job_id = job_id;
  stage->job_ids.insert(job_id);
  Stage* raw = stage.get();
  stages_[raw->id] = std::move(stage);
  return raw;
}

Stage* StageBuilder::createResultStage(std::shared_ptr<RDDBase> rdd, int job_id) {
  return newStage(std::move(rdd), nullptr, job_id);
}

Stage* StageBuilder::mapStageFor(const std::shared_ptr<ShuffleDependencyBase>& dep, int job_id) {
  auto it = by_shuffle_.find(dep->shuffleId());
  if (it != by_shuffle_.end()) {
    // The job needs every ancestor of a reused stage too (Spark's updateJobIdStageIdMaps):
    // a stage no active job claims is never submitted, so a job waiting on it would wait
    // forever.
    for (Stage* s : lineageStages(it->second)) s->job_ids.insert(job_id);
    return it->second;
  }
  Stage* stage = newStage(dep->mapSide(), dep, job_id);
  by_shuffle_[dep->shuffleId()] = stage;
  tracker_.registerShuffle(dep->shuffleId(), stage->numPartitions());
  return stage;
}

bool StageBuilder::isAvailable(const Stage* stage) const {
  return !stage->isMap() || tracker_.numAvailable(stage->shuffle->shuffleId()) == stage->numPartitions();
}

std::vector<Stage*> StageBuilder::missingParents(Stage* stage) {
  std::vector<Stage*> missing;
  for (Stage* parent : stage->parents) {
    if (!isAvailable(parent)) missing.push_back(parent);
  }
  return missing;
}

std::vector<Stage*> StageBuilder::lineageStages(Stage* stage) {
  std::vector<Stage*> out;
  std::set<int> seen;
  std::vector<Stage*> todo{stage};
  while (!todo.empty()) {
    Stage* s = todo.back();
    todo.pop_back();
    if (!seen.insert(s->id).second) continue;
    out.push_back(s);
    for (Stage* p : s->parents) todo.push_back(p);
  }
  return out;
}

Stage* StageBuilder::stage(int id) const {
  auto it = stages_.find(id);
  return it == stages_.end() ? nullptr : it->second.get();
}

void StageBuilder::removeResultStage(Stage* stage) {
  if (!stage->isMap()) stages_.erase(stage->id);
}

std::vector<int> StageBuilder::pruneUnreferenced(const std::set<Stage*>& keep) {
  std::vector<int> removed;
  bool changed = true;
  while (changed) {  // dropping a stage may release its parents' shuffles
    changed = false;
    // Shuffles still reached from a remaining stage's RDDs are referenced by that RDD.
    for (auto it = by_shuffle_.begin(); it != by_shuffle_.end();) {
      Stage* s = it->second;
      if (keep.count(s) || s->shuffle.use_count() > 1) {
        ++it;
        continue;
      }
      for (auto& [id, other] : stages_) {
        auto& ps = other->parents;
        ps.erase(std::remove(ps.begin(), ps.end(), s), ps.end());
      }
      removed.push_back(it->first);
      tracker_.unregisterShuffle(it->first);
      stages_.erase(s->id);
      it = by_shuffle_.erase(it);
      changed = true;
    }
  }
  return removed;
}

}  // namespace sluice
