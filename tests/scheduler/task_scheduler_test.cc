// TaskScheduler with a recording backend and a manual clock: pools share cores by FAIR
// weights and minShare, retries move to another executor, excludeOnFailure, and
// speculation launches a copy and kills the loser.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "common/clock.h"
#include "scheduler/task_scheduler.h"
#include "tests/scheduler/recording_backend.h"

using namespace sluice;
using namespace sluice::testing;

namespace {

std::shared_ptr<TaskSet> tasks(int stage, int job, int n, std::string pool = "") {
  auto ts = std::make_shared<TaskSet>();
  ts->stage_id = stage;
  ts->job_id = job;
  ts->pool = std::move(pool);
  for (int i = 0; i < n; ++i) ts->partitions.push_back(i);
  ts->binary = std::make_shared<rpc::StageBinary>();
  return ts;
}

struct Fixture {
  explicit Fixture(Conf c) : conf(std::move(c)) { conf.set("scheduler.revive.interval", "0"); }
  Conf conf;
  ManualClock clock{1000};
  RecordingBackend backend;
  RecordingListener listener;
  std::unique_ptr<TaskScheduler> sched;
  void start() {
    sched = std::make_unique<TaskScheduler>(conf, &backend, &listener, &clock);
    REQUIRE(sched->start().isOk());
  }
};

}  // namespace

TEST_CASE("FIFO runs the earlier job's tasks first", "[scheduler][pools]") {
  Fixture f{Conf()};
  f.start();
  f.sched->submitTasks(tasks(5, 2, 2));
  f.sched->submitTasks(tasks(3, 1, 2));
  f.sched->executorAdded({"e1", "h1", "", 2, 2});
  REQUIRE(f.backend.launches.size() == 2);
  CHECK(f.backend.launches[0].task.stage_id == 3);
  CHECK(f.backend.launches[1].task.stage_id == 3);
}

TEST_CASE("FAIR pools share cores by weight after their minShare", "[scheduler][pools]") {
  auto file = std::filesystem::temp_directory_path() / ("sluice-fair-" + std::to_string(::getpid()) + ".xml");
  std::ofstream(file) << R"(<allocations>
    <pool name="light"><weight>1</weight><minShare>2</minShare></pool>
    <pool name="heavy"><weight>3</weight></pool>
  </allocations>)";
  Conf conf;
  conf.set("scheduler.mode", "FAIR");
  conf.set("scheduler.allocation.file", file.string());
  Fixture f(conf);
  f.start();
  f.sched->submitTasks(tasks(1, 1, 100, "heavy"));
  f.sched->submitTasks(tasks(2, 2, 100, "light"));
  SECTION("minShare first, then 1:3") {
    f.sched->executorAdded({"e1", "h1", "", 10, 10});
    // light gets its minShare of 2; of the other 8, heavy takes 6 and light 2 (4:6 ~ 1:3 is 2.5:7.5).
    CHECK(f.sched->runningTasksInPool("light") == 3);
    CHECK(f.sched->runningTasksInPool("heavy") == 7);
  }
  SECTION("freed cores go to the pool furthest below its share") {
    f.sched->executorAdded({"e1", "h1", "", 4, 4});
    CHECK(f.sched->runningTasksInPool("light") == 2);
    CHECK(f.sched->runningTasksInPool("heavy") == 2);
    // Each freed core goes back where it keeps light at its minShare and heavy at 1:3.
    for (int i = 0; i < 4; ++i) {
      auto& l = f.backend.launches[static_cast<size_t>(i)];
      f.sched->statusUpdate(status(l));
    }
    CHECK(f.sched->runningTasksInPool("heavy") == 2);
    f.sched->executorAdded({"e2", "h2", "", 8, 8});
    CHECK(f.sched->runningTasksInPool("light") == 3);
    CHECK(f.sched->runningTasksInPool("heavy") == 9);
  }
  std::filesystem::remove(file);
}

TEST_CASE("a task set with a pool the file does not name still runs", "[scheduler][pools]") {
  Conf conf;
  conf.set("scheduler.mode", "FAIR");
  Fixture f(conf);
  f.start();
  f.sched->submitTasks(tasks(1, 1, 1, "unknown"));
  f.sched->executorAdded({"e1", "h1", "", 1, 1});
  CHECK(f.backend.launches.size() == 1);
  CHECK(f.sched->runningTasksInPool("unknown") == 1);
}

TEST_CASE("a malformed allocation file fails start with its error", "[scheduler][pools]") {
  auto file = std::filesystem::temp_directory_path() / ("sluice-bad-" + std::to_string(::getpid()) + ".xml");
  std::ofstream(file) << "<allocations><pool name='x'>";
  Conf conf;
  conf.set("scheduler.mode", "FAIR");
  conf.set("scheduler.allocation.file", file.string());
  RecordingBackend backend;
  RecordingListener listener;
  TaskScheduler sched(conf, &backend, &listener);
  auto st = sched.start();
  REQUIRE_FALSE(st.isOk());
  CHECK(st.message() == "allocation file " + file.string() +
                            ": line 1: <pool> is not closed (no </pool> before the end of the file)");
  std::filesystem::remove(file);
}

TEST_CASE("a failed task is retried on another executor", "[scheduler][failures]") {
  Fixture f{Conf()};
  f.start();
  f.sched->executorAdded({"e1", "h1", "", 1, 1});
  f.sched->executorAdded({"e2", "h2", "", 1, 1});
  f.sched->submitTasks(tasks(1, 1, 1));
  REQUIRE(f.backend.launches.size() == 1);
  Launch first = f.backend.launches[0];
  f.sched->statusUpdate(status(first, rpc::TaskState::kFailed));
  REQUIRE(f.backend.launches.size() == 2);
  CHECK(f.backend.launches[1].executor_id != first.executor_id);
  CHECK(f.backend.launches[1].task.attempt == 1);
}

TEST_CASE("task.maxFailures failures abort the task set", "[scheduler][failures]") {
  Conf conf;
  conf.set("task.maxFailures", "2");
  Fixture f(conf);
  f.start();
  f.sched->executorAdded({"e1", "h1", "", 1, 1});
  f.sched->submitTasks(tasks(1, 1, 1));
  f.sched->statusUpdate(status(f.backend.launches.at(0), rpc::TaskState::kFailed));
  // Only one executor: the retry runs there.
  f.sched->statusUpdate(status(f.backend.launches.at(1), rpc::TaskState::kFailed));
  REQUIRE(f.listener.failures.size() == 1);
  CHECK(f.listener.failures[0] ==
        "Task 0 in stage 1.0 failed 2 times, most recent failure: Lost task 0.1 in stage 1.0 (TID 1) (h1 executor e1): "
        "boom");
}

TEST_CASE("excludeOnFailure keeps tasks off a failing executor until the timeout", "[scheduler][failures]") {
  Conf conf;
  conf.set("excludeOnFailure.enabled", "true");
  conf.set("excludeOnFailure.timeout", "10s");
  conf.set("task.maxFailures", "10");
  Fixture f(conf);
  f.start();
  f.sched->executorAdded({"bad", "h1", "", 1, 1});
  f.sched->executorAdded({"good", "h2", "", 1, 1});
  f.sched->submitTasks(tasks(1, 1, 20));
  // Fail two tasks on "bad"; finish everything on "good".
  int failed = 0;
  for (size_t i = 0; i < f.backend.launches.size() && i < 40; ++i) {
    Launch l = f.backend.launches[i];
    if (l.executor_id == "bad" && failed < 2) {
      ++failed;
      f.sched->statusUpdate(status(l, rpc::TaskState::kFailed));
    } else if (l.executor_id == "good") {
      f.sched->statusUpdate(status(l));
    }
  }
  REQUIRE(failed == 2);
  size_t before = f.backend.launches.size();
  f.sched->submitTasks(tasks(2, 2, 2));
  for (size_t i = before; i < f.backend.launches.size(); ++i) CHECK(f.backend.launches[i].executor_id == "good");
  // After the timeout "bad" gets tasks again.
  f.clock.advance(10000);
  f.sched->reviveOffers();
  bool bad_again = false;
  for (size_t i = before; i < f.backend.launches.size(); ++i) bad_again |= f.backend.launches[i].executor_id == "bad";
  CHECK(bad_again);
}

TEST_CASE("speculation copies a straggler elsewhere, the first result wins, the other is killed",
          "[scheduler][speculation]") {
  Conf conf;
  conf.set("speculation", "true");
  Fixture f(conf);
  f.start();
  f.sched->executorAdded({"e1", "h1", "", 2, 2});
  f.sched->executorAdded({"e2", "h2", "", 2, 2});
  f.sched->submitTasks(tasks(1, 1, 4));
  REQUIRE(f.backend.launches.size() == 4);
  // Three tasks take 100 ms; the fourth keeps running.
  f.clock.advance(100);
  Launch straggler = f.backend.launches[3];
  for (int i = 0; i < 3; ++i) f.sched->statusUpdate(status(f.backend.launches[static_cast<size_t>(i)]));
  REQUIRE(f.backend.launches.size() == 4);
  f.sched->checkSpeculatableTasks();
  CHECK(f.backend.launches.size() == 4);  // 100 ms < 1.5 x median
  f.clock.advance(100);
  f.sched->checkSpeculatableTasks();
  REQUIRE(f.backend.launches.size() == 5);
  Launch copy = f.backend.launches[4];
  CHECK(copy.task.speculative);
  CHECK(copy.task.partition == straggler.task.partition);
  CHECK(copy.executor_id != straggler.executor_id);
  // The copy finishes first: the original is killed, and its late end reaches the listeners
  // as killed (Spark's TaskEnd with TaskKilled), not as a result.
  f.sched->statusUpdate(status(copy));
  REQUIRE(f.backend.kills.size() == 1);
  CHECK(f.backend.kills[0].task_id == straggler.task.task_id);
  CHECK(f.backend.kills[0].executor_id == straggler.executor_id);
  f.sched->statusUpdate(status(straggler, rpc::TaskState::kKilled));
  REQUIRE(f.listener.ends.size() == 5);
  CHECK(f.listener.failures.empty());
  CHECK(f.listener.ends[3].speculative);
  CHECK(f.listener.ends[3].state == rpc::TaskState::kFinished);
  CHECK(f.listener.ends[4].task_id == straggler.task.task_id);
  CHECK(f.listener.ends[4].state == rpc::TaskState::kKilled);
}

TEST_CASE("task ends record the locality level", "[scheduler][locality]") {
  Fixture f{Conf()};
  f.start();
  f.sched->executorAdded({"e1", "h1", "", 1, 1});
  auto ts = tasks(1, 1, 1);
  ts->preferred = {{"executor:e1", "h1"}};
  f.sched->submitTasks(ts);
  REQUIRE(f.backend.launches.size() == 1);
  f.sched->statusUpdate(status(f.backend.launches[0]));
  REQUIRE(f.listener.ends.size() == 1);
  CHECK(f.listener.ends[0].locality == TaskLocality::kProcessLocal);
}
