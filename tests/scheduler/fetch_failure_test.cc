// Fetch failures and lost executors, driven through the DAGScheduler's TaskSubmitter seam
// (dag_scheduler_harness.h). The cases mirror Spark's DAGSchedulerSuite: a FetchFailed
// marks the map output lost, the map stage reruns the lost partitions and then the failed
// stage; several fetch failures of one attempt count once; only consecutive failed
// attempts abort (stage.maxConsecutiveAttempts); a lost executor's outputs are recomputed.
#include <catch2/catch.hpp>

#include <set>

#include "tests/scheduler/dag_scheduler_harness.h"

using namespace sluice;
using namespace sluice::testing;

namespace {

Conf fastRetry(int max_consecutive_attempts = 4) {
  Conf conf;
  conf.set("stage.retryDelay", "10ms");
  conf.set("stage.maxConsecutiveAttempts", std::to_string(max_consecutive_attempts));
  return conf;
}

// Map task sets until the next result task set; returns it (null if none came) and adds
// every map partition submitted to *maps. Each map task succeeds on executor.
std::shared_ptr<const TaskSet> runMapsUntilResultStage(Scheduler& s, std::set<int>* maps,
                                                       const std::string& executor = "e2") {
  for (int i = 0; i < 10; ++i) {
    auto ts = s.tasks.next();
    if (!ts || !ts->is_map_stage) return ts;
    maps->insert(ts->partitions.begin(), ts->partitions.end());
    succeedAll(s.dag, *ts, executor);
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a fetch failure resubmits the lost map stages, then the failed stage", "[scheduler][dag][fetch]") {
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

TEST_CASE("fetch failures in stage.maxConsecutiveAttempts consecutive attempts fail the job, naming the stage",
          "[scheduler][dag][fetch]") {
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
  int result_stage = -1;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto r = s.tasks.next();
    REQUIRE(r);
    result_stage = r->stage_id;
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
  CHECK_THAT(res->status().message(), Catch::Contains("Stage " + std::to_string(result_stage) + " ("));
}


// Spark: "All shuffle files on the storage endpoint should be cleaned up when it is lost".
TEST_CASE("a fetch failure naming an executor marks every map output it held lost", "[scheduler][dag][fetch]") {
  Scheduler s(fastRetry());
  LineageOnlyContext ctx;
  auto shuffled = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}, {{3, 3}}}).reduceByKey(plus, 2);
  int shuffle_id = shuffleIdOf(shuffled);
  auto job = s.dag.submitJob(shuffled.node(), {0, 1});
  auto m = s.tasks.next();
  REQUIRE(m);
  REQUIRE(m->partitions == std::vector<int>{0, 1, 2});
  s.dag.taskEnded(ended(*m, 0, rpc::TaskState::kFinished, "e1"));
  s.dag.taskEnded(ended(*m, 1, rpc::TaskState::kFinished, "e2"));
  s.dag.taskEnded(ended(*m, 2, rpc::TaskState::kFinished, "e1"));
  auto r = s.tasks.next();
  REQUIRE(r);
  REQUIRE_FALSE(r->is_map_stage);
  s.dag.taskEnded(ended(*r, 0));
  s.dag.taskEnded(fetchFailed(*r, 1, shuffle_id, 0, "e1"));

  auto m_again = s.tasks.next();
  REQUIRE(m_again);
  CHECK(m_again->stage_id == m->stage_id);
  CHECK(m_again->stage_attempt == 1);
  CHECK(m_again->partitions == std::vector<int>{0, 2});  // both of e1's outputs, not e2's
  CHECK(s.tracker.missingMaps(shuffle_id) == std::vector<int>{0, 2});
  CHECK(s.tasks.cancelled() == std::vector<int>{r->stage_id});  // the failed attempt stops
  succeedAll(s.dag, *m_again, "e2");
  auto r_again = s.tasks.next();
  REQUIRE(r_again);
  CHECK(r_again->stage_id == r->stage_id);
  CHECK(r_again->partitions == std::vector<int>{1});
  s.dag.taskEnded(ended(*r_again, 1));
  auto res = resultWithin(job);
  REQUIRE(res);
  REQUIRE(res->isOk());
  CHECK(res->value().size() == 2);
}

// Spark: "Single stage fetch failure should not abort the stage" and "late fetch failures
// don't cause multiple concurrent attempts for the same map stage".
TEST_CASE("many fetch failures in one stage attempt count as one failed attempt", "[scheduler][dag][fetch]") {
  Scheduler s(fastRetry(2));
  LineageOnlyContext ctx;
  auto shuffled = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}, {{3, 3}}}).reduceByKey(plus, 3);
  int shuffle_id = shuffleIdOf(shuffled);
  auto job = s.dag.submitJob(shuffled.node(), {0, 1, 2});
  auto m = s.tasks.next();
  REQUIRE(m);
  succeedAll(s.dag, *m);
  auto r = s.tasks.next();
  REQUIRE(r);
  REQUIRE(r->partitions.size() == 3);
  // Every reducer of the attempt fails to fetch a different map output.
  for (int p = 0; p < 3; ++p) s.dag.taskEnded(fetchFailed(*r, p, shuffle_id, p));

  std::set<int> remade;
  auto r_again = runMapsUntilResultStage(s, &remade);
  REQUIRE(r_again);  // not aborted: one failed attempt of stage.maxConsecutiveAttempts = 2
  CHECK(remade == std::set<int>{0, 1, 2});
  CHECK(r_again->stage_id == r->stage_id);
  CHECK(r_again->stage_attempt == r->stage_attempt + 1);  // one new attempt, not three
  CHECK(r_again->partitions == std::vector<int>{0, 1, 2});
  succeedAll(s.dag, *r_again);
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
}

// Spark: "Non-consecutive stage failures don't trigger abort". A map stage fails to fetch,
// succeeds, then fails to fetch again when a later stage lost its output: two failed
// attempts in all, but not two in a row.
TEST_CASE("fetch failures with a successful attempt in between are not consecutive", "[scheduler][dag][fetch]") {
  Scheduler s(fastRetry(2));
  LineageOnlyContext ctx;
  auto first = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 2);  // map stage M0
  auto second = first.reduceByKey(plus, 2);                                     // map stage M1
  auto job = s.dag.submitJob(second.node(), {0});                              // result stage R
  int first_shuffle = shuffleIdOf(first);
  int second_shuffle = shuffleIdOf(second);

  auto m0 = s.tasks.next();
  REQUIRE(m0);
  succeedAll(s.dag, *m0);
  auto m1 = s.tasks.next();
  REQUIRE(m1);
  REQUIRE(m1->is_map_stage);
  s.dag.taskEnded(fetchFailed(*m1, 0, first_shuffle, 0));  // M1: first failed attempt

  auto m0_again = s.tasks.next();
  REQUIRE(m0_again);
  CHECK(m0_again->stage_id == m0->stage_id);
  CHECK(m0_again->partitions == std::vector<int>{0});
  succeedAll(s.dag, *m0_again);
  auto m1_again = s.tasks.next();
  REQUIRE(m1_again);
  CHECK(m1_again->stage_id == m1->stage_id);
  succeedAll(s.dag, *m1_again);  // M1 succeeds: its count starts over
  auto r = s.tasks.next();
  REQUIRE(r);
  REQUIRE_FALSE(r->is_map_stage);
  s.dag.taskEnded(fetchFailed(*r, 0, second_shuffle, 0));  // R lost M1's output 0

  auto m1_third = s.tasks.next();
  REQUIRE(m1_third);
  CHECK(m1_third->stage_id == m1->stage_id);
  CHECK(m1_third->partitions == std::vector<int>{0});
  s.dag.taskEnded(fetchFailed(*m1_third, 0, first_shuffle, 1));  // M1 fails again: only once in a row

  std::set<int> remade;
  auto r_again = runMapsUntilResultStage(s, &remade);
  REQUIRE(r_again);  // not aborted
  CHECK(r_again->stage_id == r->stage_id);
  succeedAll(s.dag, *r_again);
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
}

// Spark: "run trivial shuffle with out-of-band executor failure and retry". The executor
// is lost while its map stage still runs: the stage ends, then reruns the lost partition
// before the reduce stage starts.
TEST_CASE("a lost executor's map outputs are recomputed before the reduce stage runs", "[scheduler][dag][fetch]") {
  Scheduler s(fastRetry());
  LineageOnlyContext ctx;
  auto shuffled = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 1);
  int shuffle_id = shuffleIdOf(shuffled);
  auto job = s.dag.submitJob(shuffled.node(), {0});
  auto m = s.tasks.next();
  REQUIRE(m);
  s.dag.taskEnded(ended(*m, 0, rpc::TaskState::kFinished, "e1"));
  s.dag.executorLost("e1", "heartbeat timed out");
  s.dag.taskEnded(ended(*m, 1, rpc::TaskState::kFinished, "e2"));

  auto m_again = s.tasks.next();
  REQUIRE(m_again);
  CHECK(m_again->is_map_stage);  // the map stage again, not the reduce stage
  CHECK(m_again->stage_id == m->stage_id);
  CHECK(m_again->partitions == std::vector<int>{0});
  CHECK(s.tracker.missingMaps(shuffle_id) == std::vector<int>{0});
  succeedAll(s.dag, *m_again, "e2");
  auto r = s.tasks.next();
  REQUIRE(r);
  CHECK_FALSE(r->is_map_stage);
  succeedAll(s.dag, *r, "e2");
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
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
  for (int p : second->partitions) s.dag.taskEnded(ended(*second, p, rpc::TaskState::kFinished, "e2"));
  auto again = s.tasks.next();
  REQUIRE(again);  // before the fix: no task set, the job failed
  CHECK(again->stage_id == first->stage_id);
  CHECK(again->is_map_stage);
  succeedAll(s.dag, *again, "e2");
  auto result = s.tasks.next();
  REQUIRE(result);
  CHECK_FALSE(result->is_map_stage);
  succeedAll(s.dag, *result, "e2");
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
}

// Spark: "SPARK-32003: All shuffle files for executor should be cleaned up on fetch
// failure". The map stage had finished; its outputs on the lost executor are gone, and the
// reducer's fetch failure (for one of them) makes the stage recompute all of them.
TEST_CASE("after a lost executor, a fetch failure recomputes every map output it held", "[scheduler][dag][fetch]") {
  Scheduler s(fastRetry());
  LineageOnlyContext ctx;
  auto shuffled = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}, {{3, 3}}}).reduceByKey(plus, 1);
  int shuffle_id = shuffleIdOf(shuffled);
  auto job = s.dag.submitJob(shuffled.node(), {0});
  auto m = s.tasks.next();
  REQUIRE(m);
  s.dag.taskEnded(ended(*m, 0, rpc::TaskState::kFinished, "e1"));
  s.dag.taskEnded(ended(*m, 1, rpc::TaskState::kFinished, "e1"));
  s.dag.taskEnded(ended(*m, 2, rpc::TaskState::kFinished, "e2"));
  auto r = s.tasks.next();
  REQUIRE(r);
  REQUIRE_FALSE(r->is_map_stage);
  s.dag.executorLost("e1", "worker lost");
  s.dag.taskEnded(fetchFailed(*r, 0, shuffle_id, 0));  // the reader does not say from where

  auto m_again = s.tasks.next();
  REQUIRE(m_again);
  CHECK(m_again->stage_id == m->stage_id);
  CHECK(m_again->partitions == std::vector<int>{0, 1});  // map 1 too: it was on e1
  succeedAll(s.dag, *m_again, "e2");
  auto r_again = s.tasks.next();
  REQUIRE(r_again);
  CHECK(r_again->stage_id == r->stage_id);
  succeedAll(s.dag, *r_again, "e2");
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
}

TEST_CASE("a later job recomputes only the map outputs a lost executor held", "[scheduler][dag][fetch]") {
  Scheduler s(fastRetry());
  LineageOnlyContext ctx;
  auto shuffled = ctx.parallelize<KV>({{{1, 1}}, {{2, 2}}}).reduceByKey(plus, 1);
  auto first_job = s.dag.submitJob(shuffled.node(), {0});
  auto m = s.tasks.next();
  REQUIRE(m);
  s.dag.taskEnded(ended(*m, 0, rpc::TaskState::kFinished, "e1"));
  s.dag.taskEnded(ended(*m, 1, rpc::TaskState::kFinished, "e2"));
  auto r = s.tasks.next();
  REQUIRE(r);
  succeedAll(s.dag, *r, "e2");
  auto first = resultWithin(first_job);
  REQUIRE(first);
  REQUIRE(first->isOk());

  s.dag.executorLost("e1", "worker lost");
  auto second_job = s.dag.submitJob(shuffled.node(), {0});
  auto m_again = s.tasks.next();
  REQUIRE(m_again);
  CHECK(m_again->is_map_stage);
  CHECK(m_again->stage_id == m->stage_id);
  CHECK(m_again->partitions == std::vector<int>{0});  // e2's output is still there
  succeedAll(s.dag, *m_again, "e2");
  auto r2 = s.tasks.next();
  REQUIRE(r2);
  CHECK_FALSE(r2->is_map_stage);
  succeedAll(s.dag, *r2, "e2");
  auto second = resultWithin(second_job);
  REQUIRE(second);
  CHECK(second->isOk());
}
