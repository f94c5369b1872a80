// LaunchTasks and TaskStatuses: several tasks or task ends in one frame survive a round
// trip in order, and a truncated batch is rejected, never half-decoded.
#include <catch2/catch.hpp>

#include "rpc/executor_messages.h"
#include "rpc/frame.h"

namespace sluice::rpc {
namespace {

LaunchTask launchOf(int64_t task_id, int partition, bool with_stage) {
  LaunchTask t;
  t.task_id = task_id;
  t.stage_id = 7;
  t.stage_attempt = 1;
  t.partition = partition;
  t.attempt = 0;
  if (with_stage) {
    StageBinary b;
    b.lineage = "lineage-bytes";
    b.is_map_stage = true;
    b.shuffle_inputs[3] = {MapLocation{0, "e1", "tcp://127.0.0.1:1"}};
    t.stage = b;
  }
  return t;
}

TEST_CASE("a LaunchTasks frame carries its tasks in order, the stage binary with the first only", "[rpc][batch]") {
  LaunchTasks batch;
  batch.tasks = {launchOf(10, 0, true), launchOf(11, 1, false), launchOf(12, 2, false)};
  std::string frame = encode(batch);
  auto env = decodeFrame(frame.data(), frame.size());
  REQUIRE(env.isOk());
  CHECK(env->tag == MessageTag::kLaunchTasks);
  auto back = decodeAs<LaunchTasks>(*env);
  REQUIRE(back.isOk());
  REQUIRE(back->tasks.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(back->tasks[i].task_id == 10 + static_cast<int64_t>(i));
    CHECK(back->tasks[i].partition == static_cast<int>(i));
    CHECK(back->tasks[i].stage_id == 7);
    CHECK(back->tasks[i].stage_attempt == 1);
  }
  REQUIRE(back->tasks[0].stage.has_value());
  CHECK(back->tasks[0].stage->lineage == "lineage-bytes");
  CHECK(back->tasks[0].stage->shuffle_inputs.at(3).front().endpoint == "tcp://127.0.0.1:1");
  CHECK_FALSE(back->tasks[1].stage.has_value());
  CHECK_FALSE(back->tasks[2].stage.has_value());
  // A single LaunchTask is not a batch: the tags keep them apart.
  CHECK_FALSE(decodeAs<LaunchTask>(*env).isOk());
}

TEST_CASE("a TaskStatuses frame carries every end with its state, result and error", "[rpc][batch]") {
  TaskStatuses batch;
  for (int i = 0; i < 4; ++i) {
    TaskStatus s;
    s.task_id = 100 + i;
    s.executor_id = "e" + std::to_string(i % 2);
    s.state = i == 2 ? TaskState::kFailed : TaskState::kFinished;
    s.result = i == 2 ? "" : "result-" + std::to_string(i);
    s.error = i == 2 ? "boom" : "";
    s.cached_partitions = {{i, i + 1}};
    batch.statuses.push_back(s);
  }
  std::string frame = encode(batch);
  auto env = decodeFrame(frame.data(), frame.size());
  REQUIRE(env.isOk());
  auto back = decodeAs<TaskStatuses>(*env);
  REQUIRE(back.isOk());
  REQUIRE(back->statuses.size() == 4);
  for (int i = 0; i < 4; ++i) {
    const TaskStatus& s = back->statuses[static_cast<size_t>(i)];
    CHECK(s.task_id == 100 + i);
    CHECK(s.executor_id == "e" + std::to_string(i % 2));
    CHECK(s.cached_partitions == std::vector<std::pair<int32_t, int32_t>>{{i, i + 1}});
  }
  CHECK(back->statuses[2].state == TaskState::kFailed);
  CHECK(back->statuses[2].error == "boom");
  CHECK(back->statuses[3].result == "result-3");
}

TEST_CASE("a truncated LaunchTasks or TaskStatuses payload is rejected", "[rpc][batch]") {
  LaunchTasks launches;
  launches.tasks = {launchOf(1, 0, true), launchOf(2, 1, false)};
  TaskStatuses statuses;
  statuses.statuses.resize(3);
  statuses.statuses[1].result = std::string(100, 'x');
  for (const std::string& payload : {toBytes(launches), toBytes(statuses)}) {
    bool is_launch = payload == toBytes(launches);
    for (size_t cut : {payload.size() - 1, payload.size() / 2, size_t{3}}) {
      std::string frame = encodeFrame(is_launch ? MessageTag::kLaunchTasks : MessageTag::kTaskStatuses,
                                      payload.substr(0, cut));
      auto env = decodeFrame(frame.data(), frame.size());
      REQUIRE(env.isOk());  // the frame is whole; its payload is not
      INFO("cut at " << cut);
      if (is_launch) CHECK_FALSE(decodeAs<LaunchTasks>(*env).isOk());
      else CHECK_FALSE(decodeAs<TaskStatuses>(*env).isOk());
    }
  }
}

}  // namespace
}  // namespace sluice::rpc
