#include "master/scheduling.h"

#include <algorithm>
#include <numeric>

namespace sluice::master {

std::vector<ExecutorAllocation> allocateExecutors(const ExecutorRequest& request,
                                                  const std::vector<WorkerSlot>& workers,
                                                  bool spread_out) {
  const bool one_per_worker = request.executor_cores <= 0;
  const int32_t step = std::max(1, request.executor_cores);
  const int64_t mem = std::max<int64_t>(0, request.executor_memory_mb);

  // Usable workers, most free cores first (stable: ties keep the caller's order).
  std::vector<size_t> usable;
  for (size_t i = 0; i < workers.size(); ++i) {
    if (workers[i].cores_free >= step && workers[i].memory_free_mb >= mem) usable.push_back(i);
  }
  std::stable_sort(usable.begin(), usable.end(),
                   [&](size_t a, size_t b) { return workers[a].cores_free > workers[b].cores_free; });

  int64_t free_total = 0;
  for (size_t i : usable) free_total += workers[i].cores_free;
  int64_t to_assign = std::min<int64_t>(request.cores_left, free_total);

  std::vector<int32_t> cores_taken(workers.size(), 0);
  std::vector<int32_t> executors(workers.size(), 0);
  // A step needs its cores; a step that starts a new executor needs its memory too.
  auto canStep = [&](size_t w) {
    if (to_assign < step || workers[w].cores_free - cores_taken[w] < step) return false;
    const bool new_executor = !one_per_worker || executors[w] == 0;
    return !new_executor || workers[w].memory_free_mb - executors[w] * mem >= mem;
  };
  std::vector<ExecutorAllocation> out;
  auto takeStep = [&](size_t w) {
    to_assign -= step;
    cores_taken[w] += step;
    if (one_per_worker) {
      executors[w] = 1;
    } else {
      ++executors[w];
      out.push_back({w, step});
    }
  };

  std::vector<size_t> free_workers;
  auto refresh = [&] {
    free_workers.clear();
    for (size_t w : usable)
      if (canStep(w)) free_workers.push_back(w);
  };
  refresh();
  while (!free_workers.empty()) {
    for (size_t w : free_workers) {
      if (spread_out) {
        if (canStep(w)) takeStep(w);
      } else {
        while (canStep(w)) takeStep(w);
      }
    }
    refresh();
  }
  if (one_per_worker) {
    for (size_t w : usable)
      if (cores_taken[w] > 0) out.push_back({w, cores_taken[w]});
  }
  return out;
}

std::optional<size_t> pickDriverWorker(const std::vector<WorkerSlot>& workers, int32_t cores,
                                       int64_t memory_mb, size_t start) {
  const size_t n = workers.size();
  for (size_t k = 0; k < n; ++k) {
    size_t w = (start + k) % n;
    if (workers[w].cores_free >= cores && workers[w].memory_free_mb >= memory_mb) return w;
  }
  return std::nullopt;
}

}  // namespace sluice::master
