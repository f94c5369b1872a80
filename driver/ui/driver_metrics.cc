#include "driver/ui/driver_metrics.h"

namespace sluice {

void writeDriverMetrics(PrometheusText& out, const AppStatusTotals& t) {
  auto d = [](int64_t v) { return static_cast<double>(v); };
  const char* jobs = "Jobs that ended, by outcome.";
  out.counter("sluice_jobs_total", jobs, d(t.jobs_succeeded), {{"status", "succeeded"}});
  out.counter("sluice_jobs_total", jobs, d(t.jobs_failed), {{"status", "failed"}});
  out.gauge("sluice_jobs_active", "Jobs submitted and not ended.", t.active_jobs);
  const char* stages = "Stage attempts that ended, by outcome.";
  out.counter("sluice_stages_total", stages, d(t.stages_completed), {{"status", "complete"}});
  out.counter("sluice_stages_total", stages, d(t.stages_failed), {{"status", "failed"}});
  out.gauge("sluice_stages_active", "Stage attempts running.", t.active_stages);
  const char* tasks = "Tasks that ended, by outcome (failed includes fetch failures).";
  out.counter("sluice_tasks_total", tasks, d(t.tasks.completed), {{"status", "completed"}});
  out.counter("sluice_tasks_total", tasks, d(t.tasks.failed), {{"status", "failed"}});
  out.counter("sluice_tasks_total", tasks, d(t.tasks.killed), {{"status", "killed"}});
  out.counter("sluice_task_run_seconds_total", "Run time of the tasks that ended.", d(t.task_run_time_ms) / 1000.0);
  out.counter("sluice_shuffle_read_bytes_total", "Shuffle bytes read by the tasks that ended.", d(t.shuffle_read_bytes));
  out.counter("sluice_shuffle_written_bytes_total", "Shuffle bytes written by the tasks that ended.",
              d(t.shuffle_write_bytes));
  out.gauge("sluice_executors", "Executors registered with the driver now.", t.executors);
  out.gauge("sluice_executor_cores", "Cores of the executors registered now.", t.executor_cores);
  out.counter("sluice_executors_added_total", "Executors that registered.", d(t.executors_added));
  out.counter("sluice_executors_removed_total", "Executors that were lost or removed.", d(t.executors_removed));
}

}  // namespace sluice
