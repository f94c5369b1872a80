// The driver's own metrics in its GET /metrics (Prometheus text format): jobs, stages,
// tasks and executors since the application started (AppStatusTotals).
//
//   sluice_jobs_total{status}        counter  succeeded | failed
//   sluice_jobs_active               gauge
//   sluice_stages_total{status}      counter  complete | failed (stage attempts)
//   sluice_stages_active             gauge
//   sluice_tasks_total{status}       counter  completed | failed | killed
//   sluice_task_run_seconds_total    counter  run time of ended tasks
//   sluice_shuffle_read_bytes_total, sluice_shuffle_written_bytes_total  counters
//   sluice_executors, sluice_executor_cores   gauges: registered now
//   sluice_executors_added_total, sluice_executors_removed_total  counters
#pragma once

#include "common/prometheus_text.h"
#include "driver/ui/app_status.h"

namespace sluice {

void writeDriverMetrics(PrometheusText& out, const AppStatusTotals& totals);

}  // namespace sluice
