// Pool: a node of the scheduling tree with a name, a weight, a minShare and a scheduling
// mode that orders its children (Spark's Pool). The root pool holds either task set
// managers directly (FIFO) or one pool per name (FAIR), each holding task set managers.
//
// THREADING: not thread-safe; used under the TaskScheduler's lock. A pool does not own the
// task set managers it holds; the TaskScheduler removes them before destroying them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scheduler/schedulable.h"
#include "scheduler/scheduling_algorithm.h"

namespace sluice {

class TaskSetManager;

struct PoolConfig {
  std::string name;
  SchedulingMode mode = SchedulingMode::kFifo;
  int weight = 1;
  int min_share = 0;
};

class Pool : public Schedulable {
 public:
  explicit Pool(PoolConfig config) : config_(std::move(config)) {}

  const std::string& name() const override { return config_.name; }
  int weight() const override { return config_.weight; }
  int minShare() const override { return config_.min_share; }
  int runningTasks() const override;
  int priority() const override { return 0; }
  int stageId() const override { return 0; }
  SchedulingMode mode() const { return config_.mode; }

  // A child pool, owned by this pool; returns it.
  Pool* addPool(PoolConfig config);
  // nullptr when there is no child pool of that name.
  Pool* childPool(const std::string& name) const;
  void addTaskSet(TaskSetManager* manager);
  // Removes manager from this pool or any descendant.
  void removeTaskSet(TaskSetManager* manager);

  // The task set managers of the whole subtree, in the order they are offered resources.
  std::vector<TaskSetManager*> sortedTaskSets() const;

 private:
  void appendSorted(std::vector<TaskSetManager*>& out) const;

  PoolConfig config_;
  std::vector<std::unique_ptr<Pool>> pools_;
  std::vector<TaskSetManager*> task_sets_;
};

}  // namespace sluice
