// The DAGScheduler driven through its TaskSubmitter seam: a fake task scheduler records
// the task sets it is given, and the test ends their tasks by hand (success, failure,
// fetch failure), so every stage failure sequence is exact and needs no executor.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "rdd/rdd.h"
#include "scheduler/dag_scheduler.h"

using namespace sluice;
using namespace std::chrono_literals;

namespace {

// Builds RDDs; jobs go through the DAGScheduler under test, never through runJob.
class LineageOnlyContext : public JobContext {
 public:
  int newRddId() override { return next_rdd_++; }
  int newShuffleId() override { return next_shuffle_++; }
  int defaultParallelism() const override { return 2; }
  std::vector<std::string> runJob(std::shared_ptr<RDDBase>, const std::vector<int>&) override {
    throw std::logic_error("not used: jobs go through the DAGScheduler under test");
  }
  int64_t newBroadcast(std::string, std::shared_ptr<const void>) override { return 0; }

  template <class T>
  RDD<T> parallelize(std::vector<std::vector<T>> slices) {
    return RDD<T>(this, std::make_shared<ParallelCollectionRDD<T>>(newRddId(), std::move(slices)));
  }

 private:
  std::atomic<int> next_rdd_{0};
  std::atomic<int> next_shuffle_{0};
};

class FakeTaskScheduler : public TaskSubmitter {
 public:
  void submitTasks(std::shared_ptr<const TaskSet> task_set) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      submitted_.push_back(std::move(task_set));
    }
    cv_.notify_all();
  }
  void cancelStage(int) override {}
  const CacheLocations& cacheLocations() const override { return cache_; }

  // The next task set submitted, or null when none comes within 10 s.
  std::shared_ptr<const TaskSet> next() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, 10s, [&] { return !submitted_.empty(); })) return nullptr;
    auto ts = submitted_.front();
    submitted_.pop_front();
    return ts;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<const TaskSet>> submitted_;
  CacheLocations cache_;
};

TaskEnd ended(const TaskSet& ts, int partition, rpc::TaskState state = rpc::TaskState::kFinished) {
  TaskEnd e;
  e.stage_id = ts.stage_id;
  e.stage_attempt = ts.stage_attempt;
  e.partition = partition;
  e.state = state;
  e.executor_id = "e1";
  e.executor_endpoint = "tcp://127.0.0.1:1";
  return e;
}

void succeedAll(DAGScheduler& dag, const TaskSet& ts) {
  for (int p : ts.partitions) dag.taskEnded(ended(ts, p));
}

// The attempt failed as a TaskSetManager fails it after task.maxFailures failures.
void failTaskSet(DAGScheduler& dag, const TaskSet& ts) {
  dag.taskSetFailed(ts.stage_id, ts.stage_attempt, "Task 0 in stage " + ts.name() + " failed 4 times: boom");
}

std::optional<JobResult> resultWithin(std::future<JobResult>& f, std::chrono::seconds deadline = 10s) {
  if (f.wait_for(deadline) != std::future_status::ready) return std::nullopt;
  return f.get();
}

struct Scheduler {
  explicit Scheduler(Conf conf = Conf()) : dag(conf, tracker) {
    dag.setTaskScheduler(&tasks);
    dag.start();
  }
  MapOutputTracker tracker;
  FakeTaskScheduler tasks;
  DAGScheduler dag;
};

using KV = std::pair<int, int>;
auto plus = [](int a, int b) { return a + b; };

}  // namespace

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

TEST_CASE("a fetch failure resubmits the lost map stages, then the failed stage", "[scheduler][dag]") {
  Conf conf;
  conf.set("stage.retryDelay", "10ms");
  Scheduler s(conf);
  LineageOnlyContext ctx;
  auto first = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}, {{3, 3}}}).reduceByKey(plus, 2);
  auto second = first.reduceByKey(plus, 2);
  auto job = s.dag.submitJob(second.node(), {0, 1});
  auto m0 = s.tasks.next();
  REQUIRE(m0);
  CHECK(m0->partitions.size() == 3);
  succeedAll(s.dag, *m0);
  auto m1 = s.tasks.next();
  REQUIRE(m1);
  succeedAll(s.dag, *m1);
  auto r = s.tasks.next();
  REQUIRE(r);
  s.dag.taskEnded(ended(*r, 0));  // partition 0 done

  // Partition 1 cannot fetch map 1 of the second shuffle: that one output is lost.
  TaskEnd lost = ended(*r, 1, rpc::TaskState::kFetchFailed);
  lost.fetch_shuffle_id = second.node()->dependencies().front().shuffle->shuffleId();
  lost.fetch_map_id = 1;
  s.dag.taskEnded(lost);
  auto m1_again = s.tasks.next();
  REQUIRE(m1_again);
  CHECK(m1_again->stage_id == m1->stage_id);
  CHECK(m1_again->stage_attempt == m1->stage_attempt + 1);
  CHECK(m1_again->partitions == std::vector<int>{1});  // only the lost output
  succeedAll(s.dag, *m1_again);
  auto r_again = s.tasks.next();
  REQUIRE(r_again);
  CHECK(r_again->stage_id == r->stage_id);
  CHECK(r_again->partitions == std::vector<int>{1});  // partition 0 had finished
  s.dag.taskEnded(ended(*r_again, 1));
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
}

TEST_CASE("a stage that keeps failing to fetch fails its job after stage.maxConsecutiveAttempts",
          "[scheduler][dag]") {
  Conf conf;
  conf.set("stage.retryDelay", "10ms");
  conf.set("stage.maxConsecutiveAttempts", "3");
  Scheduler s(conf);
  LineageOnlyContext ctx;
  auto shuffled = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 1);
  int shuffle_id = shuffled.node()->dependencies().front().shuffle->shuffleId();
  auto job = s.dag.submitJob(shuffled.node(), {0});
  auto m = s.tasks.next();
  REQUIRE(m);
  succeedAll(s.dag, *m);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto r = s.tasks.next();
    REQUIRE(r);
    CHECK_FALSE(r->is_map_stage);
    TaskEnd lost = ended(*r, 0, rpc::TaskState::kFetchFailed);
    lost.fetch_shuffle_id = shuffle_id;
    lost.fetch_map_id = 0;
    lost.error = "connection refused";
    s.dag.taskEnded(lost);
    if (attempt == 3) break;
    auto m_again = s.tasks.next();  // the lost output is made again
    REQUIRE(m_again);
    CHECK(m_again->partitions == std::vector<int>{0});
    succeedAll(s.dag, *m_again);
  }
  auto res = resultWithin(job);
  REQUIRE(res);
  REQUIRE_FALSE(res->isOk());
  CHECK(res->status().message().find("failed 3 times after fetch failures; last: connection refused") !=
        std::string::npos);
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

// Found in the soak: an executor paused past executor.heartbeatTimeout was declared lost
// while a window job's stage waited for two map stages, one finished (its outputs on the
// lost executor) and one still running. The job failed as "none of its stages can run"
// instead of recomputing the lost map outputs, and the streaming app ended.
TEST_CASE("an executor lost while a stage waits for two map stages recomputes the lost one", "[scheduler][dag]") {
  Scheduler s;
  LineageOnlyContext ctx;
  auto a = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 2);
  auto b = ctx.parallelize<KV>({{{3, 3}}, {{4, 4}}}).reduceByKey(plus, 2);
  auto job = s.dag.submitJob(a.union_(b).node(), {0, 1, 2, 3});
  auto first = s.tasks.next();
  auto second = s.tasks.next();
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(first->is_map_stage);
  REQUIRE(second->is_map_stage);
  succeedAll(s.dag, *first);  // its outputs are on e1
  s.dag.executorLost("e1", "no heartbeat");
  for (int p : second->partitions) {
    TaskEnd e = ended(*second, p);
    e.executor_id = "e2";
    e.executor_endpoint = "tcp://127.0.0.1:2";
    s.dag.taskEnded(e);
  }
  auto again = s.tasks.next();
  REQUIRE(again);  // before the fix: no task set, the job failed
  CHECK(again->stage_id == first->stage_id);
  CHECK(again->is_map_stage);
  succeedAll(s.dag, *again);
  auto result = s.tasks.next();
  REQUIRE(result);
  CHECK_FALSE(result->is_map_stage);
  succeedAll(s.dag, *result);
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
}
