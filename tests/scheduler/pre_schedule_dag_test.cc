// Pre-scheduled reducers in the DAGScheduler (scheduler/dag_prescheduling.cc), driven
// through the fake task scheduler: the reduce stage is submitted with its map stage, gets
// the map outputs when the map stage finishes, and is withdrawn (then submitted once, as
// without pre-scheduling) when a parent's task fails or an executor is lost.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "tests/scheduler/dag_scheduler_harness.h"

using namespace sluice;
using namespace sluice::testing;

namespace {

Conf preScheduling() {
  Conf conf;
  conf.set("scheduler.preScheduleReducers", "true");
  return conf;
}

bool cancelledWithin(FakeTaskScheduler& tasks, int stage_id) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto c = tasks.cancelled();
    if (std::find(c.begin(), c.end(), stage_id) != c.end()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace

TEST_CASE("pre-scheduled reducers: the reduce stage is submitted with its map stage and gets its outputs when it ends",
          "[scheduler][dag][prescheduling]") {
  Scheduler s(preScheduling());
  LineageOnlyContext ctx;
  auto counts = ctx.parallelize<KV>({{{1, 1}, {2, 1}}, {{1, 1}}}).reduceByKey(plus, 2);
  auto job = s.dag.submitJob(counts.node(), {0, 1});
  auto map = s.tasks.next();
  REQUIRE(map);
  CHECK(map->is_map_stage);
  auto reduce = s.tasks.next();  // before any map task ended
  REQUIRE(reduce);
  CHECK_FALSE(reduce->is_map_stage);
  CHECK(reduce->awaited_stage_ids == std::vector<int>{map->stage_id});
  CHECK(reduce->binary->awaited_shuffles == std::vector<int32_t>{shuffleIdOf(counts)});
  CHECK(reduce->binary->shuffle_inputs.empty());

  s.dag.taskEnded(ended(*map, 0, rpc::TaskState::kFinished, "e1"));
  s.dag.taskEnded(ended(*map, 1, rpc::TaskState::kFinished, "e2"));
  auto forwarded = s.tasks.forwardedOutputs(1);
  REQUIRE(forwarded.size() == 1);
  CHECK(forwarded[0].stage_id == reduce->stage_id);
  CHECK(forwarded[0].stage_attempt == reduce->stage_attempt);
  CHECK(forwarded[0].shuffle_id == shuffleIdOf(counts));
  REQUIRE(forwarded[0].outputs.size() == 2);
  CHECK(forwarded[0].outputs[0].executor_id == "e1");
  CHECK(forwarded[0].outputs[1].executor_id == "e2");

  auto r0 = ended(*reduce, 0);
  r0.result = "a";
  auto r1 = ended(*reduce, 1);
  r1.result = "b";
  s.dag.taskEnded(r0);
  s.dag.taskEnded(r1);
  auto res = resultWithin(job);
  REQUIRE(res);
  REQUIRE(res->isOk());
  CHECK(**res == std::vector<std::string>{"a", "b"});
  CHECK(s.tasks.cancelled().empty());
}

TEST_CASE("pre-scheduled reducers: a failed map task withdraws them, the stage runs once, after the map stage",
          "[scheduler][dag][prescheduling]") {
  Scheduler s;  // the key is off: the job's placement turns it on
  LineageOnlyContext ctx;
  auto counts = ctx.parallelize<KV>({{{1, 1}}, {{2, 1}}}).reduceByKey(plus, 2);
  TaskSetPlacement placement;
  placement.pre_schedule_reducers = true;
  auto job = s.dag.submitJob(counts.node(), {0, 1}, "", "", placement);
  auto map = s.tasks.next();
  REQUIRE(map);
  auto reduce = s.tasks.next();
  REQUIRE(reduce);
  REQUIRE(reduce->awaited_stage_ids.size() == 1);

  s.dag.taskEnded(ended(*map, 0, rpc::TaskState::kFailed));  // the TaskSetManager retries it
  REQUIRE(cancelledWithin(s.tasks, reduce->stage_id));
  succeedAll(s.dag, *map);
  auto again = s.tasks.next();
  REQUIRE(again);
  CHECK(again->stage_id == reduce->stage_id);
  CHECK(again->stage_attempt == reduce->stage_attempt + 1);
  CHECK(again->awaited_stage_ids.empty());
  CHECK(again->binary->awaited_shuffles.empty());
  CHECK(again->binary->shuffle_inputs.size() == 1);
  succeedAll(s.dag, *again);
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
  CHECK(s.tasks.forwardedOutputs().empty());  // nothing went to the withdrawn attempt
}

TEST_CASE("pre-scheduled reducers: a lost executor withdraws them, the lost outputs are recomputed first",
          "[scheduler][dag][prescheduling]") {
  Scheduler s(preScheduling());
  LineageOnlyContext ctx;
  auto counts = ctx.parallelize<KV>({{{1, 1}}, {{2, 1}}}).reduceByKey(plus, 2);
  auto job = s.dag.submitJob(counts.node(), {0, 1});
  auto map = s.tasks.next();
  REQUIRE(map);
  auto reduce = s.tasks.next();
  REQUIRE(reduce);
  s.dag.taskEnded(ended(*map, 0, rpc::TaskState::kFinished, "e2"));
  s.dag.executorLost("e2", "killed");
  REQUIRE(cancelledWithin(s.tasks, reduce->stage_id));
  s.dag.taskEnded(ended(*map, 1, rpc::TaskState::kFinished, "e1"));
  // Map output 0 was on e2: the map stage runs it again before the reducers start.
  auto rerun = s.tasks.next();
  REQUIRE(rerun);
  CHECK(rerun->stage_id == map->stage_id);
  CHECK(rerun->partitions == std::vector<int>{0});
  succeedAll(s.dag, *rerun);
  auto again = s.tasks.next();
  REQUIRE(again);
  CHECK(again->stage_id == reduce->stage_id);
  CHECK(again->awaited_stage_ids.empty());
  REQUIRE(again->binary->shuffle_inputs.size() == 1);
  for (const auto& loc : again->binary->shuffle_inputs.begin()->second) CHECK(loc.executor_id == "e1");
  succeedAll(s.dag, *again);
  auto res = resultWithin(job);
  REQUIRE(res);
  CHECK(res->isOk());
  CHECK(s.tasks.forwardedOutputs().empty());
}
