// SchedulingPolicy: in which order the TaskScheduler offers resources to its task sets
// (mechanism apart from policy, as Spark's SchedulingAlgorithm). FIFO orders by job, then
// by stage. FAIR pools plug in here.
#pragma once

#include <memory>
#include <vector>

#include "scheduler/task_set_manager.h"

namespace sluice {

class SchedulingPolicy {
 public:
  virtual ~SchedulingPolicy() = default;
  // Orders managers, most urgent first. Called under the TaskScheduler's lock.
  virtual void order(std::vector<TaskSetManager*>& managers) const = 0;
};

class FifoPolicy : public SchedulingPolicy {
 public:
  void order(std::vector<TaskSetManager*>& managers) const override;
};

}  // namespace sluice
