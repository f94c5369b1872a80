// The master's GET /metrics (Prometheus text format), rendered from a MasterState the
// caller holds locked, plus the process metrics (common/process_metrics.h):
//
//   sluice_master_workers{state}          gauge  ALIVE, DEAD, DECOMMISSIONED, UNKNOWN
//   sluice_master_apps{state}             gauge  active applications: WAITING, RUNNING
//   sluice_master_drivers{state}          gauge  active drivers (cluster mode) by state
//   sluice_master_executors               gauge  executors of the active applications
//   sluice_master_cores, sluice_master_cores_used                gauges  of alive workers
//   sluice_master_memory_bytes, sluice_master_memory_used_bytes  gauges  of alive workers
#pragma once

#include <string>

#include "master/master_state.h"

namespace sluice::master {

std::string renderMetrics(const MasterState& state);

}  // namespace sluice::master
