// TaskSubmitter: what the DAGScheduler needs of a task scheduler (the TaskScheduler
// implements it; tests substitute a fake that records task sets and ends tasks by hand).
#pragma once

#include <memory>
#include <vector>

#include "scheduler/cache_locations.h"
#include "scheduler/task_set.h"

namespace sluice {

class TaskSubmitter {
 public:
  virtual ~TaskSubmitter() = default;
  // Takes a stage attempt's tasks; their ends are reported to the TaskSchedulerListener.
  // Must not block: called on the DAGScheduler's event loop.
  virtual void submitTasks(std::shared_ptr<const TaskSet> task_set) = 0;
  // Stops launching tasks of the stage's attempts (e.g. after a fetch failure); the tasks of a
  // pre-scheduled attempt still holding for their map outputs are killed. Must not block.
  virtual void cancelStage(int stage_id) = 0;
  // The map outputs of shuffle_id, which the pre-scheduled stage attempt awaits, are all
  // known: its tasks, launched or not, get them. Must not block.
  virtual void mapOutputsAvailable(int stage_id, int stage_attempt, int shuffle_id,
                                   std::vector<rpc::MapLocation> outputs) = 0;
  // Where cached partitions are, as reported by finished tasks. Thread-safe.
  virtual const CacheLocations& cacheLocations() const = 0;
};

}  // namespace sluice
