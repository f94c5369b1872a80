// Resource allocation of the standalone master, as pure functions (Spark's
// Master.scheduleExecutorsOnWorkers and the driver placement of Master.schedule): no
// sockets, no clocks, so that the policy is unit-tested on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::master {

// Free resources of one ALIVE worker.
struct WorkerSlot {
  int32_t cores_free = 0;
  int64_t memory_free_mb = 0;
};

// What one application asks for now.
struct ExecutorRequest {
  int32_t executor_cores = 1;      // cores of every executor (>= 1)
  int64_t executor_memory_mb = 0;  // memory of every executor
  int32_t cores_left = 0;          // cores the app may still get (INT32_MAX: no cap)
};

// One executor to launch: on workers[worker], with `cores` cores.
struct ExecutorAllocation {
  size_t worker = 0;
  int32_t cores = 0;
  bool operator==(const ExecutorAllocation& o) const { return worker == o.worker && cores == o.cores; }
};

// Places as many executors of `request` as fit, never more cores than request.cores_left.
// spread_out: one executor per worker per round, round robin over the workers with room
// (most free cores first); otherwise fill each worker before moving to the next. Each
// executor takes exactly executor_cores cores and executor_memory_mb on one worker.
// Returned in launch order; indexes refer to `workers`.
std::vector<ExecutorAllocation> allocateExecutors(const ExecutorRequest& request,
                                                  const std::vector<WorkerSlot>& workers,
                                                  bool spread_out);

// The first worker, starting at `start` and wrapping around, with at least `cores` free
// cores and `memory_mb` free memory; nullopt when none has room.
std::optional<size_t> pickDriverWorker(const std::vector<WorkerSlot>& workers, int32_t cores,
                                       int64_t memory_mb, size_t start);

}  // namespace sluice::master
