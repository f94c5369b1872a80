// The DAGScheduler driven through its TaskSubmitter seam (dag_scheduler_harness.h): jobs
// over chained shuffles, stopping, job groups; and with the real TaskScheduler, a task that
// fails task.maxFailures times. Fetch failures and lost executors: fetch_failure_test.cc.
#include <catch2/catch.hpp>

#include "scheduler/task_scheduler.h"
#include "tests/scheduler/dag_scheduler_harness.h"

using namespace sluice;
using namespace sluice::testing;

// Issue 11 item 7: reduceByKeyAndWindow with an inverse function chains each window's
// shuffle to the previous window's. Window k's job needs the map stages of every earlier
// window; once one of them failed twice, the next job's stages waited for it forever.
TEST_CASE("after a chained map stage failed in two jobs, a later job still runs it", "[scheduler][dag]") {
  Scheduler s;
  LineageOnlyContext ctx;
  // window[k] reads window[k - 1] through a shuffle: map stage M(k) has parent M(k - 1).
  std::vector<RDD<KV>> window{ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 2)};
  for (int k = 1; k <= 4; ++k) window.push_back(window.back().reduceByKey(plus, 2));

  // Job 0: M(0) and the result stage succeed.
  auto job0 = s.dag.submitJob(window[0].node(), {0, 1});
  auto m0 = s.tasks.next();
  REQUIRE(m0);
  CHECK(m0->is_map_stage);
  succeedAll(s.dag, *m0);
  auto r0 = s.tasks.next();
  REQUIRE(r0);
  CHECK_FALSE(r0->is_map_stage);
  succeedAll(s.dag, *r0);
  auto res0 = resultWithin(job0);
  REQUIRE(res0);
  CHECK(res0->isOk());

  // Job 1: M(1) succeeds, its result stage fails (the window's own computation throws).
  auto job1 = s.dag.submitJob(window[1].node(), {0, 1});
  auto m1 = s.tasks.next();
  REQUIRE(m1);
  succeedAll(s.dag, *m1);
  auto r1 = s.tasks.next();
  REQUIRE(r1);
  failTaskSet(s.dag, *r1);
  auto res1 = resultWithin(job1);
  REQUIRE(res1);
  CHECK_FALSE(res1->isOk());

  // Jobs 2 and 3: both need M(2), whose tasks compute window 1 and fail again.
  auto job2 = s.dag.submitJob(window[2].node(), {0, 1});
  auto m2 = s.tasks.next();
  REQUIRE(m2);
  CHECK(m2->is_map_stage);
  failTaskSet(s.dag, *m2);
  auto res2 = resultWithin(job2);
  REQUIRE(res2);
  CHECK_FALSE(res2->isOk());

  auto job3 = s.dag.submitJob(window[3].node(), {0, 1});
  auto m2_again = s.tasks.next();
  REQUIRE(m2_again);
  CHECK(m2_again->stage_id == m2->stage_id);
  failTaskSet(s.dag, *m2_again);
  auto res3 = resultWithin(job3);
  REQUIRE(res3);
  CHECK_FALSE(res3->isOk());
  CHECK(res3->status().message().find("stage failure") != std::string::npos);

  // Job 4 reaches M(2) only through M(3), a stage job 3 created: it must still run M(2).
  auto job4 = s.dag.submitJob(window[4].node(), {0, 1});
  auto m2_third = s.tasks.next();
  REQUIRE(m2_third);  // before the fix: no task set, the job waited forever
  CHECK(m2_third->stage_id == m2->stage_id);
  succeedAll(s.dag, *m2_third);  // this time its tasks succeed
  auto m3 = s.tasks.next();
  REQUIRE(m3);
  CHECK(m3->is_map_stage);
  succeedAll(s.dag, *m3);
  auto m4 = s.tasks.next();
  REQUIRE(m4);
  CHECK(m4->is_map_stage);
  succeedAll(s.dag, *m4);
  auto r4 = s.tasks.next();
  REQUIRE(r4);
  CHECK_FALSE(r4->is_map_stage);
  succeedAll(s.dag, *r4);
  auto res4 = resultWithin(job4);
  REQUIRE(res4);
  CHECK(res4->isOk());
}

TEST_CASE("a job that keeps failing a shared chained stage fails every time, never waits", "[scheduler][dag]") {
  Scheduler s;
  LineageOnlyContext ctx;
  std::vector<RDD<KV>> window{ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 2)};
  for (int k = 1; k <= 6; ++k) window.push_back(window.back().reduceByKey(plus, 2));
  auto job0 = s.dag.submitJob(window[0].node(), {0, 1});
  for (int i = 0; i < 2; ++i) {
    auto ts = s.tasks.next();
    REQUIRE(ts);
    succeedAll(s.dag, *ts);
  }
  REQUIRE(resultWithin(job0));
  // From job 1 on, the first stage a job runs always fails: every job ends, failed.
  for (int k = 1; k <= 6; ++k) {
    auto job = s.dag.submitJob(window[k].node(), {0, 1});
    auto ts = s.tasks.next();
    REQUIRE(ts);
    failTaskSet(s.dag, *ts);
    auto res = resultWithin(job);
    REQUIRE(res);  // it ended
    CHECK_FALSE(res->isOk());
  }
}

TEST_CASE("stopping the scheduler fails running and later jobs instead of leaving them waiting", "[scheduler][dag]") {
  Scheduler s;
  LineageOnlyContext ctx;
  auto shuffled = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 1);
  auto running = s.dag.submitJob(shuffled.node(), {0});
  REQUIRE(s.tasks.next());  // its map stage runs and never ends
  s.dag.stop();
  auto res = resultWithin(running);
  REQUIRE(res);
  CHECK(res->status().message().find("shut down") != std::string::npos);
  auto later = s.dag.submitJob(shuffled.node(), {0});
  auto later_res = resultWithin(later);
  REQUIRE(later_res);
  CHECK_FALSE(later_res->isOk());
}

TEST_CASE("cancelling a job group fails its jobs only", "[scheduler][dag]") {
  Scheduler s;
  LineageOnlyContext ctx;
  auto a = ctx.parallelize<KV>({{{1, 1}}}).reduceByKey(plus, 1);
  auto b = ctx.parallelize<KV>({{{2, 2}}}).reduceByKey(plus, 1);
  auto job_a = s.dag.submitJob(a.node(), {0}, "", "receivers");
  auto ts_a = s.tasks.next();
  REQUIRE(ts_a);
  auto job_b = s.dag.submitJob(b.node(), {0}, "", "batch-1");
  auto ts_b = s.tasks.next();
  REQUIRE(ts_b);
  s.dag.cancelJobGroup("receivers", "streaming is stopping");
  auto res_a = resultWithin(job_a);
  REQUIRE(res_a);
  CHECK(res_a->status().message() == "Job cancelled: streaming is stopping");
  succeedAll(s.dag, *ts_b);
  auto r_b = s.tasks.next();
  REQUIRE(r_b);
  succeedAll(s.dag, *r_b);
  auto res_b = resultWithin(job_b);
  REQUIRE(res_b);
  CHECK(res_b->isOk());
}

namespace {

// The real TaskScheduler's launches, for a test thread to wait on. Thread-safe.
class LaunchQueue : public SchedulerBackend {
 public:
  void launchTask(const std::string& executor_id, const TaskDescription& task) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      launched_.push_back({executor_id, task});
    }
    cv_.notify_all();
  }
  void releaseStage(int, int) override {}
  void killTask(const std::string&, int64_t, const std::string&) override {}
  // The next launch, or nullopt when none comes within 10 s.
  std::optional<std::pair<std::string, TaskDescription>> next() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !launched_.empty(); })) return std::nullopt;
    auto l = launched_.front();
    launched_.pop_front();
    return l;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, TaskDescription>> launched_;
};

}  // namespace

// The DAGScheduler with the real TaskScheduler (no fake): the TaskSetManager counts the
// task's failures and the job fails with its reason.
TEST_CASE("a task that fails task.maxFailures times fails its job with the task's error", "[scheduler][dag]") {
  Conf conf;
  conf.set("task.maxFailures", "3");
  conf.set("scheduler.revive.interval", "0");
  MapOutputTracker tracker;
  DAGScheduler dag(conf, tracker);
  LaunchQueue backend;
  TaskScheduler tasks(conf, &backend, &dag);
  REQUIRE(tasks.start().isOk());
  dag.setTaskScheduler(&tasks);
  dag.start();
  tasks.executorAdded({"e1", "h1", "", 1, 1});
  LineageOnlyContext ctx;
  auto job = dag.submitJob(ctx.parallelize<int>({{1}, {2}}).node(), {0, 1});

  int failures = 0;
  std::optional<JobResult> res;
  while (!res) {
    auto launch = backend.next();
    REQUIRE(launch);
    rpc::TaskStatus status;
    status.task_id = launch->second.task_id;
    status.executor_id = launch->first;
    if (launch->second.partition == 1) {
      status.state = rpc::TaskState::kFailed;
      status.error = "std::runtime_error: bad record " + std::to_string(++failures);
    }
    tasks.statusUpdate(status);
    if (failures == 3) res = resultWithin(job);
    REQUIRE(failures <= 3);  // never a fourth attempt
  }
  REQUIRE_FALSE(res->isOk());
  CHECK(res->status().message() ==
        "Job aborted due to stage failure: Task 1 in stage 0.0 failed 3 times, most recent failure: "
        "Lost task 1.2 in stage 0.0 (TID 3) (h1 executor e1): std::runtime_error: bad record 3");
  dag.stop();
  tasks.stop();
}

// Bookkeeping per finished task is a lookup, not a scan of the job's partitions: a job of
// 20,000 partitions whose tasks end in reverse order, some twice, gets every result in the
// order of the partitions it asked for.
TEST_CASE("a job of 20000 partitions ending in any order gets each result at its partition's place",
          "[scheduler][dag]") {
  Scheduler s;
  LineageOnlyContext ctx;
  constexpr int kPartitions = 20000;
  std::vector<std::vector<int>> slices(kPartitions);
  for (int i = 0; i < kPartitions; ++i) slices[static_cast<size_t>(i)] = {i};
  auto rdd = ctx.parallelize<int>(std::move(slices));
  std::vector<int> asked;  // every partition, odd ones first
  for (int p = 1; p < kPartitions; p += 2) asked.push_back(p);
  for (int p = 0; p < kPartitions; p += 2) asked.push_back(p);
  auto job = s.dag.submitJob(rdd.node(), asked);
  auto ts = s.tasks.next();
  REQUIRE(ts);
  REQUIRE(ts->partitions.size() == static_cast<size_t>(kPartitions));
  for (auto p = ts->partitions.rbegin(); p != ts->partitions.rend(); ++p) {
    TaskEnd e = ended(*ts, *p);
    e.result = "r" + std::to_string(*p);
    if (*p % 1000 == 0) {  // a duplicate end (a speculative copy's) changes nothing
      TaskEnd copy = e;
      copy.result = "copy";
      s.dag.taskEnded(std::move(e));
      s.dag.taskEnded(std::move(copy));
    } else {
      s.dag.taskEnded(std::move(e));
    }
  }
  auto res = resultWithin(job);
  REQUIRE(res);
  REQUIRE(res->isOk());
  REQUIRE((*res)->size() == asked.size());
  size_t wrong = 0;
  for (size_t i = 0; i < asked.size(); ++i) wrong += (**res)[i] != "r" + std::to_string(asked[i]);
  CHECK(wrong == 0);
}
