// StageBuilder: cuts a job's lineage into stages at shuffle dependencies, reusing the map
// stage of a shuffle that an earlier job already created (so its output is not recomputed).
// Stage ids are given as Spark gives them: in order of creation, a stage's new parents
// before the stage, so a word count's map stage is 0 and its result stage 1, and a later
// job's new stages have higher ids (a reused map stage keeps its id).
//
// THREADING: not thread-safe; owned by the DAGScheduler's event loop.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "scheduler/map_output_tracker.h"
#include "scheduler/stage.h"

namespace sluice {

class StageBuilder {
 public:
  explicit StageBuilder(MapOutputTracker& tracker) : tracker_(tracker) {}

  Stage* createResultStage(std::shared_ptr<RDDBase> rdd, int job_id);
  // The map stage of dep, created with its own parents when new. Either way job_id is
  // added to the job_ids of the stage and of all its ancestors.
  Stage* mapStageFor(const std::shared_ptr<ShuffleDependencyBase>& dep, int job_id);
  // Parent map stages whose output is not all available.
  std::vector<Stage*> missingParents(Stage* stage);
  // Every ancestor stage of stage, stage included.
  std::vector<Stage*> lineageStages(Stage* stage);
  bool isAvailable(const Stage* stage) const;

  // The shuffle dependencies that rdd's stage reads (reached through narrow dependencies).
  static std::vector<std::shared_ptr<ShuffleDependencyBase>> shuffleInputs(const std::shared_ptr<RDDBase>& rdd);

  Stage* stage(int id) const;
  // Drops a result stage (its job ended). Map stages stay for reuse while the shuffle is
  // referenced from outside the scheduler.
  void removeResultStage(Stage* stage);
  // Drops map stages whose shuffle nothing but the scheduler references any more (the
  // user's RDDs are gone), except those in keep; returns their shuffle ids.
  std::vector<int> pruneUnreferenced(const std::set<Stage*>& keep);
  int stagesCreated() const { return next_stage_id_; }

 private:
  Stage* newStage(std::shared_ptr<RDDBase> rdd, std::shared_ptr<ShuffleDependencyBase> shuffle, int job_id);

  MapOutputTracker& tracker_;
  std::map<int, std::unique_ptr<Stage>> stages_;
  std::map<int, Stage*> by_shuffle_;
  int next_stage_id_ = 0;
};

}  // namespace sluice
