// scheduler.pipelineDepth and batched launches: the TaskScheduler never has more than
// depth x cores tasks in flight on an executor, fills free cores before queueing, hands
// each executor its tasks of one offer round in one launchTasks() call, and a batch of
// task ends (statusUpdates) makes one offer round.
#include <catch2/catch.hpp>

#include <map>

#include "common/clock.h"
#include "scheduler/task_scheduler.h"
#include "tests/scheduler/recording_backend.h"

using namespace sluice;
using namespace sluice::testing;

namespace {

std::shared_ptr<TaskSet> taskSetOf(int stage, int n, bool long_running = false) {
  auto ts = std::make_shared<TaskSet>();
  ts->stage_id = stage;
  ts->job_id = stage;
  for (int i = 0; i < n; ++i) ts->partitions.push_back(i);
  ts->binary = std::make_shared<rpc::StageBinary>();
  ts->placement.long_running = long_running;
  return ts;
}

struct PipelineFixture {
  explicit PipelineFixture(int depth) {
    conf.set("scheduler.revive.interval", "0");
    conf.set("scheduler.pipelineDepth", std::to_string(depth));
    sched = std::make_unique<TaskScheduler>(conf, &backend, &listener, &clock);
    REQUIRE(sched->start().isOk());
  }
  // Tasks launched and not ended, by executor.
  std::map<std::string, int> inFlight() const {
    std::map<std::string, int> n;
    for (const auto& l : backend.launches) ++n[l.executor_id];
    for (const auto& e : listener.ends) {
      for (const auto& l : backend.launches) {
        if (l.task.task_id == e.task_id) --n[l.executor_id];
      }
    }
    return n;
  }
  Conf conf;
  ManualClock clock{1000};
  RecordingBackend backend;
  RecordingListener listener;
  std::unique_ptr<TaskScheduler> sched;
};

}  // namespace

TEST_CASE("pipeline depth: in-flight tasks per executor never exceed depth x cores", "[scheduler][pipeline]") {
  for (int depth : {1, 2, 4}) {
    INFO("depth " << depth);
    PipelineFixture f(depth);
    f.sched->executorAdded({"e1", "h1", "", 2});
    f.sched->executorAdded({"e2", "h2", "", 1});
    f.sched->submitTasks(taskSetOf(0, 200));
    const std::map<std::string, int> bound = {{"e1", 2 * depth}, {"e2", depth}};
    CHECK(f.inFlight() == bound);  // filled up to the bound, not beyond
    size_t ended = 0;
    while (ended < f.backend.launches.size()) {
      // End the oldest half of what is in flight, in one batch, as an executor would.
      std::vector<rpc::TaskStatus> batch;
      size_t stop = std::max(ended + 1, (ended + f.backend.launches.size()) / 2);
      for (; ended < stop; ++ended) batch.push_back(status(f.backend.launches[ended]));
      f.sched->statusUpdates(std::move(batch));
      for (auto [exec, n] : f.inFlight()) {
        INFO(exec);
        CHECK(n <= bound.at(exec));
        CHECK(n >= 0);
      }
    }
    CHECK(f.backend.launches.size() == 200);
    CHECK(f.listener.ends.size() == 200);
    CHECK(f.sched->activeStages().empty());
  }
}

TEST_CASE("pipeline depth: free cores are filled before a task queues behind a busy one", "[scheduler][pipeline]") {
  PipelineFixture f(3);
  f.sched->executorAdded({"e1", "h1", "", 1});
  f.sched->executorAdded({"e2", "h2", "", 1});
  f.sched->submitTasks(taskSetOf(0, 2));
  REQUIRE(f.backend.launches.size() == 2);
  CHECK(f.backend.launches[0].executor_id != f.backend.launches[1].executor_id);
}

TEST_CASE("one offer round sends each executor its tasks in one launchTasks call", "[scheduler][pipeline]") {
  PipelineFixture f(4);
  f.sched->executorAdded({"e1", "h1", "", 2});
  f.sched->executorAdded({"e2", "h2", "", 2});
  f.backend.batches.clear();
  f.sched->submitTasks(taskSetOf(0, 16));
  REQUIRE(f.backend.launches.size() == 16);
  // One round: one batch per executor, 8 tasks each (2 cores x depth 4).
  std::map<std::string, size_t> per_exec;
  for (auto& [exec, n] : f.backend.batches) per_exec[exec] += n;
  CHECK(f.backend.batches.size() == 2);
  CHECK(per_exec == std::map<std::string, size_t>{{"e1", 8}, {"e2", 8}});
  // Three ends from e1 reported together: one round, one batch of three for e1.
  f.backend.batches.clear();
  std::vector<rpc::TaskStatus> ends;
  for (const auto& l : f.backend.launches) {
    if (l.executor_id == "e1" && ends.size() < 3) ends.push_back(status(l));
  }
  f.sched->statusUpdates(std::move(ends));
  CHECK(f.backend.batches.empty());  // nothing left to launch: all 16 were placed
  f.sched->submitTasks(taskSetOf(1, 10));
  REQUIRE(f.backend.batches.size() == 1);
  CHECK(f.backend.batches[0] == std::pair<std::string, size_t>{"e1", 3});
}

TEST_CASE("pipeline depth: a long-running task waits for a free core with nothing queued", "[scheduler][pipeline]") {
  PipelineFixture f(2);
  f.sched->executorAdded({"e1", "h1", "", 2});
  f.sched->submitTasks(taskSetOf(0, 4));  // 2 running, 2 queued on e1
  REQUIRE(f.backend.launches.size() == 4);
  f.sched->submitTasks(taskSetOf(1, 1, /*long_running=*/true));
  CHECK(f.backend.launches.size() == 4);  // not behind the queued ones
  std::vector<rpc::TaskStatus> ends;
  for (int i = 0; i < 3; ++i) ends.push_back(status(f.backend.launches[static_cast<size_t>(i)]));
  f.sched->statusUpdates(std::move(ends));  // one left in flight: a core is free, none queued
  REQUIRE(f.backend.launches.size() == 5);
  CHECK(f.backend.launches[4].task.stage_id == 1);
  // The receiver holds one core: the other takes depth (2) tasks, no more.
  f.sched->submitTasks(taskSetOf(2, 10));
  CHECK(f.inFlight().at("e1") == 1 + 2);
}
