// TaskSubmitter: what the DAGScheduler needs of a task scheduler (the TaskScheduler
// implements it; tests substitute a fake that records task sets and ends tasks by hand).
#pragma once

#include <memory>

#include "scheduler/cache_locations.h"
#include "scheduler/task_set.h"

namespace sluice {

class TaskSubmitter {
 public:
  virtual ~TaskSubmitter() = default;
  // Takes a stage attempt's tasks; their ends are reported to the TaskSchedulerListener.
  // Must not block: called on the DAGScheduler's event loop.
  virtual void submitTasks(std::shared_ptr<const TaskSet> task_set) = 0;
  // Stops launching tasks of the stage's attempts (e.g. after a fetch failure). Must not block.
  virtual void cancelStage(int stage_id) = 0;
  // Where cached partitions are, as reported by finished tasks. Thread-safe.
  virtual const CacheLocations& cacheLocations() const = 0;
};

}  // namespace sluice
