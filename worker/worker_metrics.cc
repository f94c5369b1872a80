#include "worker/worker_metrics.h"

#include "common/process_metrics.h"
#include "common/prometheus_text.h"

namespace sluice::worker {

std::string renderWorkerMetrics(const WorkerStatus& s) {
  PrometheusText out;
  constexpr double kMiB = 1024.0 * 1024.0;
  out.gauge("sluice_worker_registered", "1 once the worker is registered with a master.", s.registered ? 1 : 0);
  out.gauge("sluice_worker_executors", "Executors running on the worker.", static_cast<double>(s.executors.size()));
  out.gauge("sluice_worker_drivers", "Drivers (cluster mode) running on the worker.",
            static_cast<double>(s.drivers.size()));
  out.gauge("sluice_worker_cores", "Cores the worker offers.", s.cores);
  out.gauge("sluice_worker_cores_used", "Cores given to executors and drivers.", s.coresUsed());
  out.gauge("sluice_worker_memory_bytes", "Memory the worker offers.", static_cast<double>(s.memory_mb) * kMiB);
  out.gauge("sluice_worker_memory_used_bytes", "Memory given to executors and drivers.",
            static_cast<double>(s.memoryUsed()) * kMiB);
  writeProcessMetrics(out);
  return out.str();
}

}  // namespace sluice::worker
