// Pre-scheduled reducers in the TaskScheduler: a pre-scheduled task set launches only once
// its parent stages' tasks are all launched, the map outputs go to every executor holding
// its tasks (and before the first launch on an executor that gets one later), and
// cancelling it while its tasks are held kills them.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "scheduler/task_scheduler.h"
#include "tests/scheduler/recording_backend.h"

using namespace sluice;
using namespace sluice::testing;

namespace {

std::shared_ptr<TaskSet> stageOf(int stage, int n, std::vector<int> awaited = {}) {
  auto ts = std::make_shared<TaskSet>();
  ts->stage_id = stage;
  ts->job_id = 0;
  for (int i = 0; i < n; ++i) ts->partitions.push_back(i);
  auto binary = std::make_shared<rpc::StageBinary>();
  if (!awaited.empty()) binary->awaited_shuffles = {7};
  ts->binary = binary;
  ts->awaited_stage_ids = std::move(awaited);
  return ts;
}

struct PreScheduleFixture {
  explicit PreScheduleFixture(int depth) {
    conf.set("scheduler.revive.interval", "0");
    conf.set("scheduler.pipelineDepth", std::to_string(depth));
    sched = std::make_unique<TaskScheduler>(conf, &backend, &listener, &clock);
    REQUIRE(sched->start().isOk());
  }
  int launchedOf(int stage) const {
    int n = 0;
    for (const auto& l : backend.launches) n += l.task.stage_id == stage;
    return n;
  }
  void end(int64_t task_id) {
    for (const auto& l : backend.launches) {
      if (l.task.task_id == task_id) sched->statusUpdate(status(l));
    }
  }
  Conf conf;
  ManualClock clock{1000};
  RecordingBackend backend;
  RecordingListener listener;
  std::unique_ptr<TaskScheduler> sched;
};

std::vector<rpc::MapLocation> outputs() { return {{0, "e1", "tcp://127.0.0.1:1"}, {1, "e1", "tcp://127.0.0.1:1"}}; }

}  // namespace

TEST_CASE("pre-scheduled task set: launched after every parent task, outputs to each executor holding its tasks",
          "[scheduler][prescheduling]") {
  PreScheduleFixture f(4);  // 1 core: 4 slots
  f.sched->executorAdded({"e1", "h1", "", 1});
  f.sched->submitTasks(stageOf(0, 6));
  CHECK(f.launchedOf(0) == 4);
  f.sched->submitTasks(stageOf(1, 2, {0}));
  CHECK(f.launchedOf(1) == 0);  // no slot anyway
  f.end(0);
  f.end(1);  // the last two map tasks take the slots
  CHECK(f.launchedOf(0) == 6);
  CHECK(f.launchedOf(1) == 0);
  f.end(2);  // every map task launched: a reducer takes the free slot
  CHECK(f.launchedOf(1) == 1);
  CHECK(f.backend.map_outputs.empty());

  f.sched->mapOutputsAvailable(1, 0, 7, outputs());
  REQUIRE(f.backend.map_outputs.size() == 1);
  CHECK(f.backend.map_outputs[0].first == "e1");
  CHECK(f.backend.map_outputs[0].second.stage_id == 1);
  CHECK(f.backend.map_outputs[0].second.shuffle_id == 7);
  CHECK(f.backend.map_outputs[0].second.outputs.size() == 2);

  // An executor that gets its first task of the stage later gets the outputs before it.
  f.sched->executorAdded({"e2", "h2", "", 1});
  CHECK(f.launchedOf(1) == 2);
  REQUIRE(f.backend.map_outputs.size() == 2);
  CHECK(f.backend.map_outputs[1].first == "e2");
  REQUIRE(f.backend.log.size() >= 2);
  CHECK(f.backend.log[f.backend.log.size() - 2] == "outputs e2");
  CHECK(f.backend.log.back() == "launch e2");
  CHECK(f.backend.kills.empty());
}

TEST_CASE("pre-scheduled task set: cancelled while its tasks are held, they are killed, after its outputs not",
          "[scheduler][prescheduling]") {
  PreScheduleFixture f(4);
  f.sched->executorAdded({"e1", "h1", "", 1});
  f.sched->submitTasks(stageOf(0, 1));
  f.sched->submitTasks(stageOf(1, 2, {0}));
  REQUIRE(f.launchedOf(1) == 2);
  f.sched->cancelStage(1);
  CHECK(f.backend.kills.size() == 2);

  PreScheduleFixture g(4);
  g.sched->executorAdded({"e1", "h1", "", 1});
  g.sched->submitTasks(stageOf(0, 1));
  g.sched->submitTasks(stageOf(1, 2, {0}));
  REQUIRE(g.launchedOf(1) == 2);
  g.sched->mapOutputsAvailable(1, 0, 7, outputs());
  g.sched->cancelStage(1);  // its tasks may be running now: as any stage, no kill
  CHECK(g.backend.kills.empty());
}
