#include "scheduler/scheduling_policy.h"

#include <algorithm>

namespace sluice {

void FifoPolicy::order(std::vector<TaskSetManager*>& managers) const {
  std::stable_sort(managers.begin(), managers.end(), [](const TaskSetManager* a, const TaskSetManager* b) {
    const TaskSet& x = a->taskSet();
    const TaskSet& y = b->taskSet();
    if (x.job_id != y.job_id) return x.job_id < y.job_id;
    return x.stage_id < y.stage_id;
  });
}

}  // namespace sluice
