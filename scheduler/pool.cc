#include "scheduler/pool.h"

#include <algorithm>

#include "scheduler/task_set_manager.h"

namespace sluice {

int Pool::runningTasks() const {
  int n = 0;
  for (const auto& p : pools_) n += p->runningTasks();
  for (const TaskSetManager* m : task_sets_) n += m->runningTasks();
  return n;
}

Pool* Pool::addPool(PoolConfig config) {
  pools_.push_back(std::make_unique<Pool>(std::move(config)));
  return pools_.back().get();
}

Pool* Pool::childPool(const std::string& name) const {
  for (const auto& p : pools_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

void Pool::addTaskSet(TaskSetManager* manager) { task_sets_.push_back(manager); }

void Pool::removeTaskSet(TaskSetManager* manager) {
  auto it = std::find(task_sets_.begin(), task_sets_.end(), manager);
  if (it != task_sets_.end()) {
    task_sets_.erase(it);
    return;
  }
  for (auto& p : pools_) p->removeTaskSet(manager);
}

std::vector<TaskSetManager*> Pool::sortedTaskSets() const {
  std::vector<TaskSetManager*> out;
  appendSorted(out);
  return out;
}

void Pool::appendSorted(std::vector<TaskSetManager*>& out) const {
  // Children are pools or task sets; both are sorted together with this pool's comparator.
  struct Child {
    const Schedulable* node;
    const Pool* pool;        // set for a pool
    TaskSetManager* manager;  // set for a task set
  };
  std::vector<Child> children;
  for (const auto& p : pools_) children.push_back({p.get(), p.get(), nullptr});
  for (TaskSetManager* m : task_sets_) children.push_back({m, nullptr, m});
  SchedulingMode mode = config_.mode;
  std::stable_sort(children.begin(), children.end(),
                   [mode](const Child& a, const Child& b) { return scheduledBefore(mode, *a.node, *b.node); });
  for (const Child& child : children) {
    if (child.pool) child.pool->appendSorted(out);
    else out.push_back(child.manager);
  }
}

}  // namespace sluice
