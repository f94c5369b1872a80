// Schedulable: a node of the scheduling tree (Spark's Schedulable). Pools hold pools or
// task set managers; the TaskScheduler walks the tree, sorting each pool's children with the
// pool's comparator, to decide which task set is offered resources first.
//
// THREADING: not thread-safe; used under the TaskScheduler's lock.
#pragma once

#include <string>

namespace sluice {

class Schedulable {
 public:
  virtual ~Schedulable() = default;
  virtual const std::string& name() const = 0;
  virtual int weight() const = 0;
  virtual int minShare() const = 0;
  // Tasks running now in this schedulable (for a pool: in all its descendants).
  virtual int runningTasks() const = 0;
  // FIFO keys: the job id and the stage id (pools: 0).
  virtual int priority() const = 0;
  virtual int stageId() const = 0;
};

}  // namespace sluice
