#include "master/master_metrics.h"

#include <map>

#include "common/process_metrics.h"
#include "common/prometheus_text.h"

namespace sluice::master {

std::string renderMetrics(const MasterState& s) {
  PrometheusText out;
  std::map<std::string, int> workers;
  for (auto state : {rpc::WorkerState::kAlive, rpc::WorkerState::kDead, rpc::WorkerState::kDecommissioned,
                     rpc::WorkerState::kUnknown}) {
    workers[rpc::workerStateName(state)] = 0;
  }
  double cores = 0, cores_used = 0, memory_mb = 0, memory_used_mb = 0;
  for (const auto& [id, w] : s.workers) {
    ++workers[rpc::workerStateName(w.state)];
    if (w.state != rpc::WorkerState::kAlive) continue;
    cores += w.cores;
    cores_used += w.cores_used;
    memory_mb += static_cast<double>(w.memory_mb);
    memory_used_mb += static_cast<double>(w.memory_used_mb);
  }
  for (const auto& [state, n] : workers) {
    out.gauge("sluice_master_workers", "Workers the master knows, by state.", n, {{"state", state}});
  }
  std::map<std::string, int> apps = {{rpc::appStateName(rpc::AppState::kWaiting), 0},
                                     {rpc::appStateName(rpc::AppState::kRunning), 0}};
  int executors = 0;
  for (const auto& [id, a] : s.apps) {
    ++apps[rpc::appStateName(a.state)];
    executors += static_cast<int>(a.executors.size());
  }
  for (const auto& [state, n] : apps) {
    out.gauge("sluice_master_apps", "Active applications, by state.", n, {{"state", state}});
  }
  std::map<std::string, int> drivers;
  for (const auto& [id, d] : s.drivers) ++drivers[rpc::driverStateName(d.state)];
  for (const auto& [state, n] : drivers) {
    out.gauge("sluice_master_drivers", "Active drivers (cluster mode), by state.", n, {{"state", state}});
  }
  out.gauge("sluice_master_executors", "Executors of the active applications.", executors);
  out.gauge("sluice_master_cores", "Cores of the alive workers.", cores);
  out.gauge("sluice_master_cores_used", "Cores of the alive workers given to executors and drivers.", cores_used);
  out.gauge("sluice_master_memory_bytes", "Memory of the alive workers.", memory_mb * 1024 * 1024);
  out.gauge("sluice_master_memory_used_bytes", "Memory of the alive workers given to executors and drivers.",
            memory_used_mb * 1024 * 1024);
  writeProcessMetrics(out);
  return out.str();
}

}  // namespace sluice::master
