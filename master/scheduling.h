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
  // Cores of every executor (>= 1); 0 (executor.cores unset): one executor per worker,
  // with all the cores the application can take there.
  int32_t executor_cores = 1;
  int64_t executor_memory_mb = 0;  // memory of every executor
  int32_t cores_left = 0;          // cores the app may still get (INT32_MAX: no cap)
};

// One executor to launch: on workers[worker], with `cores` cores.
struct ExecutorAllocation {
  size_t worker = 0;
  int32_t cores = 0;
  bool operator==(const ExecutorAllocation& o) const { return worker == o.worker && cores == o.cores; }
};

// Places as many executors of `request` as fit, never more cores than request.cores_left
// (Spark's scheduleExecutorsOnWorkers). Cores are handed out in steps of executor_cores
// (of 1 when it is 0) over the workers with room, most free cores first: spread_out, one
// step per worker per round, round robin; otherwise each worker is filled before the next.
// With executor_cores set, each step is an executor of exactly executor_cores cores and
// executor_memory_mb; with 0, a worker's steps make one executor of executor_memory_mb
// with all of them. Returned in launch order; indexes refer to `workers`.
std::vector<ExecutorAllocation> allocateExecutors(const ExecutorRequest& request,
                                                  const std::vector<WorkerSlot>& workers,
                                                  bool spread_out);

// The first worker, starting at `start` and wrapping around, with at least `cores` free
// cores and `memory_mb` free memory; nullopt when none has room.
std::optional<size_t> pickDriverWorker(const std::vector<WorkerSlot>& workers, int32_t cores,
                                       int64_t memory_mb, size_t start);

}  // namespace sluice::master
