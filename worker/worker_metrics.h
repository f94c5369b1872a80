// The worker's GET /metrics (Prometheus text format), from a WorkerStatus snapshot, plus
// the process metrics (common/process_metrics.h):
//
//   sluice_worker_registered                 gauge  1 once registered with a master
//   sluice_worker_executors, sluice_worker_drivers   gauges  running now
//   sluice_worker_cores, sluice_worker_cores_used    gauges
//   sluice_worker_memory_bytes, sluice_worker_memory_used_bytes  gauges
#pragma once

#include <string>

#include "worker/worker_status.h"

namespace sluice::worker {

std::string renderWorkerMetrics(const WorkerStatus& status);

}  // namespace sluice::worker
