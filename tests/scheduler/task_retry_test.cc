// TaskSetManager's retry rules, driven directly.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "scheduler/task_set_manager.h"

using namespace sluice;

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
    CHECK_FALSE(m.handleFailure(t0->task_id, "boom", true).has_value());
    t0 = m.resourceOffer("e1", "h1", next_id++);
    REQUIRE(t0);
    CHECK(t0->partition == 0);
    CHECK(t0->attempt == attempt);
  }
  auto abort = m.handleFailure(t0->task_id, "java.lang.Boom: boom", true);
  REQUIRE(abort.has_value());
  CHECK(*abort == "Task 0 in stage 3.0 failed 3 times, most recent failure: java.lang.Boom: boom");
  CHECK(m.isZombie());
  CHECK(m.finished());
}

TEST_CASE("tasks on a lost executor are re-queued without counting as failures", "[scheduler]") {
  TaskSetManager m(taskSet(1), withMaxFailures(1), test_clock);
  auto t = m.resourceOffer("e1", "h1", 0);
  REQUIRE(t);
  CHECK(m.executorLost("e1") == std::vector<int64_t>{0});
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
