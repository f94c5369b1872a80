// What a worker offers when it is not told (Spark's WorkerArguments defaults): all the
// cores this process may run on and the machine's memory minus 1 GiB, at least 1 GiB.
// scripts/start-worker.sh passes the same figures (nproc, MemTotal of /proc/meminfo).
#pragma once

#include <cstdint>

namespace sluice::worker {

// The CPUs this process may run on (sched_getaffinity, as nproc counts them); at least 1.
int32_t defaultWorkerCores();

// workerMemoryMbFor(the machine's memory in MiB, from /proc/meminfo's MemTotal).
int64_t defaultWorkerMemoryMb();

// total_mb minus 1024, at least 1024 (also when total_mb is unknown: 0 or less).
int64_t workerMemoryMbFor(int64_t total_mb);

}  // namespace sluice::worker
