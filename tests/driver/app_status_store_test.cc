// AppStatusStore: jobs, stages and executors kept from the scheduler's events, bounded by
// ui.retainedJobs / ui.retainedStages so that a long-running stream does not grow it.
#include "driver/ui/app_status_store.h"

#include <catch2/catch.hpp>

namespace sluice {
namespace {

JobInfo job(int id, std::vector<int> stages, std::vector<int> tasks) {
  JobInfo j;
  j.job_id = id;
  j.stage_ids = std::move(stages);
  j.stage_num_tasks = std::move(tasks);
  j.name = "collect " + std::to_string(id);
  return j;
}

StageInfo stage(int id, int attempt, int tasks, std::string failure = "") {
  StageInfo s;
  s.stage_id = id;
  s.attempt = attempt;
  s.num_tasks = tasks;
  s.name = "stage " + std::to_string(id);
  s.failure = std::move(failure);
  return s;
}

TaskEnd task(int stage_id, int attempt, int partition, rpc::TaskState state, const std::string& executor = "exec-1") {
  TaskEnd t;
  t.stage_id = stage_id;
  t.stage_attempt = attempt;
  t.partition = partition;
  t.state = state;
  t.executor_id = executor;
  t.metrics.run_nanos = 5'000'000;
  t.metrics.shuffle_bytes_written = 100;
  return t;
}

// One job of one stage of n tasks, run to its end.
void runJob(AppStatusStore& store, int job_id, int n) {
  JobInfo j = job(job_id, {job_id}, {n});
  store.onJobStart(j);
  store.onStageSubmitted(stage(job_id, 0, n));
  for (int p = 0; p < n; ++p) store.onTaskEnd(task(job_id, 0, p, rpc::TaskState::kFinished));
  store.onStageCompleted(stage(job_id, 0, 0));
  j.succeeded = true;
  store.onJobEnd(j);
}

TEST_CASE("app status store: keeps the last ui.retainedJobs jobs and ui.retainedStages stages", "[driver]") {
  ManualClock clock(1000);
  AppStatusStore store({/*retained_jobs=*/10, /*retained_stages=*/5}, clock);
  JobInfo running = job(0, {0}, {4});
  store.onJobStart(running);  // never ends: kept however old
  store.onStageSubmitted(stage(0, 0, 4));
  for (int id = 1; id <= 1000; ++id) {
    clock.advance(10);
    runJob(store, id, 3);
  }
  auto jobs = store.jobs();
  REQUIRE(jobs.size() == 10);
  CHECK(jobs.front().job_id == 1000);  // newest first
  CHECK(jobs[8].job_id == 992);
  CHECK(jobs.back().job_id == 0);
  CHECK(jobs.back().status == JobUiData::Status::kRunning);
  CHECK_FALSE(store.job(1).has_value());
  auto stages = store.stages();
  REQUIRE(stages.size() == 5);
  CHECK(stages.front().stage_id == 1000);
  CHECK(stages.back().stage_id == 0);  // running
  CHECK(stages.back().status == StageUiData::Status::kActive);
  // The totals count everything, dropped or not.
  AppStatusTotals t = store.totals();
  CHECK(t.jobs_succeeded == 1000);
  CHECK(t.tasks.completed == 3000);
  CHECK(t.stages_completed == 1000);
  CHECK(t.active_jobs == 1);
  CHECK(t.active_stages == 1);
  CHECK(t.task_run_time_ms == 3000 * 5);
}

TEST_CASE("app status store: a job's and a stage's task counts, attempts, skipped stages and failures", "[driver]") {
  ManualClock clock(5000);
  AppStatusStore store({}, clock);
  store.onExecutorAdded({"exec-1", "10.0.0.1", "tcp://10.0.0.1:7100", 4});
  store.onExecutorAdded({"exec-2", "10.0.0.2", "tcp://10.0.0.2:7100", 2});
  JobInfo j = job(7, {1, 2, 3}, {4, 2, 2});  // stage 3 will be skipped
  store.onJobStart(j);
  store.onStageSubmitted(stage(1, 0, 4));
  store.onTaskEnd(task(1, 0, 0, rpc::TaskState::kFinished));
  store.onTaskEnd(task(1, 0, 1, rpc::TaskState::kFailed, "exec-2"));
  store.onTaskEnd(task(1, 0, 1, rpc::TaskState::kFinished, "exec-2"));
  store.onTaskEnd(task(1, 0, 1, rpc::TaskState::kKilled));  // a losing speculative copy
  store.onStageCompleted(stage(1, 0, 0, "FetchFailed: lost map output"));
  store.onStageSubmitted(stage(1, 1, 2));
  clock.advance(250);
  store.onTaskEnd(task(1, 1, 2, rpc::TaskState::kFinished));
  store.onTaskEnd(task(1, 1, 3, rpc::TaskState::kFinished));
  store.onStageCompleted(stage(1, 1, 0));
  store.onStageSubmitted(stage(2, 0, 2));
  store.onTaskEnd(task(2, 0, 0, rpc::TaskState::kFinished));
  store.onTaskEnd(task(2, 0, 1, rpc::TaskState::kFinished));
  store.onStageCompleted(stage(2, 0, 0));
  j.succeeded = true;
  j.skipped_stage_ids = {3};
  store.onJobEnd(j);

  auto d = store.job(7);
  REQUIRE(d.has_value());
  CHECK(d->status == JobUiData::Status::kSucceeded);
  CHECK(d->num_tasks == 8);
  CHECK(d->tasks.completed == 6);
  CHECK(d->tasks.failed == 1);
  CHECK(d->tasks.killed == 1);
  CHECK(d->num_completed_indices == 6);
  CHECK(d->num_skipped_tasks == 2);
  CHECK(d->num_skipped_stages == 1);
  CHECK(d->num_completed_stages == 2);
  CHECK(d->num_failed_stages == 1);
  CHECK(d->num_active_stages == 0);
  CHECK(d->submission_ms == 5000);
  CHECK(d->completion_ms == 5250);

  auto attempts = store.stageAttempts(1);
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0].status == StageUiData::Status::kFailed);
  CHECK(attempts[0].failure == "FetchFailed: lost map output");
  CHECK(attempts[0].num_completed_indices == 2);
  CHECK(attempts[0].tasks.failed == 1);
  CHECK(attempts[1].status == StageUiData::Status::kComplete);
  CHECK(attempts[1].attempt_id == 1);
  CHECK(attempts[1].job_ids == std::vector<int>{7});
  CHECK(store.stageAttempts(3).empty());

  auto executors = store.executors();
  REQUIRE(executors.size() == 2);
  CHECK(executors[0].host_port == "10.0.0.1:7100");
  CHECK(executors[0].tasks.completed == 5);
  CHECK(executors[0].tasks.killed == 1);
  CHECK(executors[1].tasks.failed == 1);
  CHECK(executors[1].total_duration_ms == 10);
  store.onExecutorRemoved({"exec-2", "heartbeats stopped"});
  CHECK(store.executors().size() == 1);
  AppStatusTotals t = store.totals();
  CHECK(t.executors == 1);
  CHECK(t.executor_cores == 4);
  CHECK(t.executors_removed == 1);
  CHECK(t.stages_failed == 1);
}

}  // namespace
}  // namespace sluice
