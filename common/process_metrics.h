// The standard process metrics of Prometheus's client libraries, read from /proc/self, for
// every daemon's /metrics: process_resident_memory_bytes, process_virtual_memory_bytes,
// process_cpu_seconds_total, process_open_fds, process_start_time_seconds.
//
// They keep the names every Prometheus dashboard knows (no sluice_ prefix: the `job` and
// `instance` labels tell the daemons apart). A value /proc does not give (another OS, a
// restricted /proc) is left out rather than written as 0.
#pragma once

#include "common/prometheus_text.h"

namespace sluice {

// Thread-safe (reads /proc only).
void writeProcessMetrics(PrometheusText& out);

}  // namespace sluice
