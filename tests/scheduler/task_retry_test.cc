// TaskSetManager's retry rules and its "Lost task" lines, driven directly.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "scheduler/task_set_manager.h"
#include "tests/common/log_capture.h"

using namespace sluice;
using sluice::testing::LogCapture;

namespace {

std::shared_ptr<TaskSet> taskSet(int n) {
  auto ts = std::make_shared<TaskSet>();
  ts->stage_id = 3;
  ts->stage_attempt = 0;
  for (int i = 0; i < n; ++i) ts->partitions.push_back(i);
  ts->binary = std::make_shared<rpc::StageBinary>();
  return ts;
}

ManualClock test_clock;

TaskSetConfig withMaxFailures(int n) {
  TaskSetConfig c;
  c.max_failures = n;
  return c;
}

}  // namespace

TEST_CASE("a failing task is retried until task.maxFailures, then the set aborts", "[scheduler]") {
  TaskSetManager m(taskSet(2), withMaxFailures(3), test_clock);
  int64_t next_id = 0;
  auto t0 = m.resourceOffer("e1", "h1", next_id++);
  auto t1 = m.resourceOffer("e2", "h2", next_id++);
  REQUIRE(t0);
  REQUIRE(t1);
  CHECK_FALSE(m.resourceOffer("e3", "h3", next_id++));  // nothing pending
  CHECK(m.handleSuccess(t1->task_id));

  for (int attempt = 1; attempt <= 2; ++attempt) {
    CHECK_FALSE(m.handleFailure(t0->task_id, "boom", TaskFailure::kFailed).has_value());
    t0 = m.resourceOffer("e1", "h1", next_id++);
    REQUIRE(t0);
    CHECK(t0->partition == 0);
    CHECK(t0->attempt == attempt);
  }
  auto abort = m.handleFailure(t0->task_id, "java.lang.Boom: boom", TaskFailure::kFailed);
  REQUIRE(abort.has_value());
  // As Spark's: the abort ends with the last attempt's "Lost task" line.
  CHECK(*abort ==
        "Task 0 in stage 3.0 failed 3 times, most recent failure: Lost task 0.2 in stage 3.0 (TID 4) (h1 executor e1): "
        "java.lang.Boom: boom");
  CHECK(m.isZombie());
  CHECK(m.finished());
}

TEST_CASE("tasks on a lost executor are re-queued without counting as failures", "[scheduler]") {
  TaskSetManager m(taskSet(1), withMaxFailures(1), test_clock);
  auto t = m.resourceOffer("e1", "h1", 0);
  REQUIRE(t);
  CHECK(m.executorLost("e1", "heartbeat timed out") == std::vector<int64_t>{0});
  auto again = m.resourceOffer("e2", "h2", 1);
  REQUIRE(again);
  CHECK(again->partition == 0);
  CHECK(m.handleSuccess(1));
  CHECK(m.finished());
  CHECK_FALSE(m.handleSuccess(0));  // a late success of the lost attempt is ignored
}

TEST_CASE("a success after the partition is done is a duplicate", "[scheduler]") {
  TaskSetManager m(taskSet(1), withMaxFailures(4), test_clock);
  auto t = m.resourceOffer("e1", "h1", 0);
  REQUIRE(t);
  REQUIRE(m.handleSuccess(0));
  CHECK_FALSE(m.handleSuccess(0));
}

TEST_CASE("each failed attempt is logged at WARN with its task, stage, TID, host, executor and reason, as Spark does",
          "[scheduler][failures]") {
  LogCapture log;
  TaskSetManager m(taskSet(2), withMaxFailures(4), test_clock);
  auto t0 = m.resourceOffer("e1", "h1", 0);
  auto t1 = m.resourceOffer("e2", "h2", 1);
  REQUIRE(t0);
  REQUIRE(t1);
  m.handleFailure(t1->task_id, "std::runtime_error: bad record", TaskFailure::kFailed);
  auto retry = m.resourceOffer("e1", "h1", 2);
  REQUIRE(retry);
  m.handleFailure(retry->task_id, "cannot read shuffle 0 map 1", TaskFailure::kFetchFailed);
  CHECK(log.at(spdlog::level::warn, "Lost task") ==
        std::vector<std::string>{
            "Lost task 1.0 in stage 3.0 (TID 1) (h2 executor e2): std::runtime_error: bad record",
            "Lost task 1.1 in stage 3.0 (TID 2) (h1 executor e1): cannot read shuffle 0 map 1",
        });
}

TEST_CASE("tasks lost with their executor are logged at WARN, killed attempts at INFO only", "[scheduler][failures]") {
  LogCapture log;
  TaskSetManager m(taskSet(2), withMaxFailures(1), test_clock);
  auto t0 = m.resourceOffer("e1", "h1", 0);
  auto t1 = m.resourceOffer("e2", "h2", 1);
  REQUIRE(t0);
  REQUIRE(t1);
  m.executorLost("e1", "no heartbeat for 10000 ms");
  CHECK(log.at(spdlog::level::warn, "Lost task") ==
        std::vector<std::string>{"Lost task 0.0 in stage 3.0 (TID 0) (h1 executor e1): executor e1 lost: no "
                                 "heartbeat for 10000 ms"});
  // A killed copy (another attempt succeeded) is no failure: it does not abort (maxFailures 1) and is not a WARN.
  CHECK_FALSE(m.handleFailure(t1->task_id, "killed: another attempt succeeded", TaskFailure::kKilled).has_value());
  CHECK_FALSE(m.isZombie());
  CHECK(log.at(spdlog::level::warn, "Lost task").size() == 1);
  CHECK(log.at(spdlog::level::info, "Lost task") ==
        std::vector<std::string>{
            "Lost task 1.0 in stage 3.0 (TID 1) (h2 executor e2): killed: another attempt succeeded"});
}
