// AwaitedOutputs: an executor holds a pre-scheduled stage's tasks until every awaited
// shuffle's map outputs came, whether they come before or after the stage's binary.
#include <catch2/catch.hpp>

#include "executor/awaited_outputs.h"

using namespace sluice;

namespace {

rpc::LaunchTask taskOf(int64_t id, int stage = 3) {
  rpc::LaunchTask task;
  task.task_id = id;
  task.stage_id = stage;
  return task;
}

std::vector<rpc::MapLocation> locations() { return {{0, "e1", "tcp://127.0.0.1:1"}}; }

}  // namespace

TEST_CASE("awaited outputs: tasks are held until every awaited shuffle's outputs came", "[executor][prescheduling]") {
  AwaitedOutputs a;
  CHECK(a.stageArrived({3, 0}, {5, 6}).empty());
  auto t1 = taskOf(1), t2 = taskOf(2), other = taskOf(9, 4);
  CHECK(a.hold(t1));
  CHECK(a.hold(t2));
  CHECK_FALSE(a.hold(other));  // a stage that awaits nothing runs at once
  bool known = false;
  auto locs = locations();
  CHECK(a.outputsArrived({3, 0}, 5, locs, &known).empty());
  CHECK(known);
  locs = locations();
  auto ready = a.outputsArrived({3, 0}, 6, locs, &known);
  REQUIRE(ready.size() == 2);
  CHECK(ready[0].task_id == 1);  // in launch order
  CHECK(ready[1].task_id == 2);
  auto later = taskOf(3);
  CHECK_FALSE(a.hold(later));  // its outputs are all here
}

TEST_CASE("awaited outputs: outputs that come before the binary go into it, a killed held task is removed",
          "[executor][prescheduling]") {
  AwaitedOutputs a;
  bool known = true;
  auto locs = locations();
  CHECK(a.outputsArrived({3, 0}, 5, locs, &known).empty());
  CHECK_FALSE(known);
  auto came = a.stageArrived({3, 0}, {5});
  REQUIRE(came.count(5));
  CHECK(came[5].size() == 1);
  auto t = taskOf(1);
  CHECK_FALSE(a.hold(t));

  a.stageArrived({4, 0}, {8});
  auto held = taskOf(2, 4);
  CHECK(a.hold(held));
  auto removed = a.remove(2);
  REQUIRE(removed);
  CHECK(removed->task_id == 2);
  CHECK_FALSE(a.remove(2));
  locs = locations();
  CHECK(a.outputsArrived({4, 0}, 8, locs, &known).empty());  // nothing left to run
}
