// The streaming placement rule (scheduler/SCHEDULING.md), with a recording backend: a
// batch's tasks do not wait for an executor whose every core a receiver (a long-running
// task) holds, a batch's locality wait is capped, the background thread ends a capped
// wait on time, and the receiver-core warnings are logged once.
#include <catch2/catch.hpp>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "common/clock.h"
#include "scheduler/task_scheduler.h"
#include "scheduler/task_set_manager.h"
#include "tests/scheduler/recording_backend.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// n tasks of stage (job = stage), each preferring prefs.
std::shared_ptr<TaskSet> taskSet(int stage, int n, std::vector<std::string> prefs, TaskSetPlacement placement = {}) {
  auto ts = std::make_shared<TaskSet>();
  ts->stage_id = stage;
  ts->job_id = stage;
  for (int i = 0; i < n; ++i) {
    ts->partitions.push_back(i);
    ts->preferred.push_back(prefs);
  }
  ts->binary = std::make_shared<rpc::StageBinary>();
  ts->placement = placement;
  return ts;
}

// A receiver's one-task job, placed on executor.
std::shared_ptr<TaskSet> receiverJob(int stage, const std::string& executor) {
  return taskSet(stage, 1, {"executor:" + executor}, {.locality_wait_max_ms = -1, .long_running = true});
}

// A batch's block tasks, each preferring executor e1 on host h1.
std::shared_ptr<TaskSet> batchOnE1(int stage, int n) { return taskSet(stage, n, {"executor:e1", "h1"}); }

// Two 1-core executors on two hosts (the default executor size): e1 on h1, e2 on h2.
struct OneCoreExecutors {
  ManualClock clock{1000};
  RecordingBackend backend;
  RecordingListener listener;
  std::unique_ptr<TaskScheduler> sched;
  OneCoreExecutors() {
    Conf conf;
    conf.set("scheduler.revive.interval", "0");
    sched = std::make_unique<TaskScheduler>(conf, &backend, &listener, &clock);
    REQUIRE(sched->start().isOk());
    sched->executorAdded({"e1", "h1", "", 1, 1});
    sched->executorAdded({"e2", "h2", "", 1, 1});
  }
};

// Captures the default logger's lines while alive.
struct LogCapture {
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  LogCapture() { spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink)); }
  ~LogCapture() { spdlog::set_default_logger(previous); }
  int count(const std::string& text) const {
    int n = 0;
    for (const auto& line : sink->last_formatted()) n += line.find(text) != std::string::npos;
    return n;
  }
};

bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace

TEST_CASE("a batch whose blocks are on an executor whose only core a receiver holds launches elsewhere at once",
          "[scheduler][locality][streaming]") {
  OneCoreExecutors f;
  f.sched->submitTasks(receiverJob(1, "e1"));
  REQUIRE(f.backend.launches.size() == 1);
  REQUIRE(f.backend.launches[0].executor_id == "e1");

  // No clock advance: the first task runs on e2 now, not after locality.wait (3 s).
  f.sched->submitTasks(batchOnE1(2, 2));
  REQUIRE(f.backend.launches.size() == 2);
  CHECK(f.backend.launches[1].executor_id == "e2");
  CHECK(f.backend.launches[1].task.locality == TaskLocality::kAny);
  // The second follows as soon as e2's core is free again.
  f.sched->statusUpdate(status(f.backend.launches[1]));
  REQUIRE(f.backend.launches.size() == 3);
  CHECK(f.backend.launches[2].executor_id == "e2");

  SECTION("once the receiver has ended, its executor is waited for again") {
    f.sched->submitTasks(batchOnE1(3, 2));
    // e2 is busy with stage 2; stage 3's tasks now wait for e1, which the receiver frees.
    f.sched->statusUpdate(status(f.backend.launches[0]));  // the receiver's job ends
    REQUIRE(f.backend.launches.size() == 4);
    CHECK(f.backend.launches[3].executor_id == "e1");
    CHECK(f.backend.launches[3].task.stage_id == 3);
    CHECK(f.backend.launches[3].task.locality == TaskLocality::kProcessLocal);
    f.sched->statusUpdate(status(f.backend.launches[2]));  // e2 free: refused, e1 is runnable
    CHECK(f.backend.launches.size() == 4);
  }
}

TEST_CASE("an ordinary task holding the preferred core is waited for, locality.wait as configured",
          "[scheduler][locality][streaming]") {
  OneCoreExecutors f;
  f.sched->submitTasks(taskSet(1, 1, {"executor:e1"}));  // not long-running: its core comes back
  REQUIRE(f.backend.launches.size() == 1);
  f.sched->submitTasks(batchOnE1(2, 1));
  CHECK(f.backend.launches.size() == 1);
  f.clock.advance(2999);
  f.sched->reviveOffers();
  CHECK(f.backend.launches.size() == 1);
  f.clock.advance(3001);  // PROCESS_LOCAL, then NODE_LOCAL (h1) waited out
  f.sched->reviveOffers();
  REQUIRE(f.backend.launches.size() == 2);
  CHECK(f.backend.launches[1].executor_id == "e2");
}

TEST_CASE("a receiver on a 2-core executor leaves it preferred: the wait is the batch's cap",
          "[scheduler][locality][streaming]") {
  ManualClock clock{1000};
  TaskSetManager m(taskSet(1, 2, {"executor:e1", "h1"}, {.locality_wait_max_ms = 50}), TaskSetConfig{}, clock);
  CHECK(m.localityWaits().process_ms == 50);
  CHECK(m.localityWaits().node_ms == 50);
  m.executorsChanged({{"e1", "h1"}, {"e2", "h2"}});
  int64_t id = 0;
  CHECK_FALSE(m.resourceOffer("e2", "h2", TaskLocality::kAny, id));
  clock.advance(49);
  CHECK_FALSE(m.resourceOffer("e2", "h2", TaskLocality::kAny, id));
  clock.advance(1);  // PROCESS_LOCAL waited out; NODE_LOCAL (h1) next
  CHECK(m.allowedLocality() == TaskLocality::kNodeLocal);
  CHECK_FALSE(m.resourceOffer("e2", "h2", TaskLocality::kAny, id));
  clock.advance(50);
  auto task = m.resourceOffer("e2", "h2", TaskLocality::kAny, id);
  REQUIRE(task);
  CHECK(task->locality == TaskLocality::kAny);

  SECTION("a cap above locality.wait changes nothing") {
    TaskSetManager uncapped(taskSet(2, 1, {"executor:e1"}, {.locality_wait_max_ms = 60000}), TaskSetConfig{}, clock);
    CHECK(uncapped.localityWaits().process_ms == 3000);
  }
}

TEST_CASE("the scheduler's own thread ends a capped locality wait, without another offer",
          "[scheduler][locality][streaming]") {
  // Revives every hour: only the capped wait can wake it. System clock: the outcome (a
  // launch on e2 without any call) is what is checked, not how soon.
  Conf conf;
  conf.set("scheduler.revive.interval", "1h");
  RecordingBackend backend;
  RecordingListener listener;
  TaskScheduler sched(conf, &backend, &listener);
  REQUIRE(sched.start().isOk());
  sched.executorAdded({"e1", "h1", "", 1, 1});
  sched.executorAdded({"e2", "h2", "", 1, 1});
  sched.submitTasks(taskSet(1, 1, {"executor:e1"}));  // holds e1's core, not long-running
  REQUIRE(sched.tasksLaunched() == 1);
  sched.submitTasks(taskSet(2, 1, {"executor:e1", "h1"}, {.locality_wait_max_ms = 20}));
  CHECK(waitFor([&] { return sched.tasksLaunched() == 2; }, 30s));
  sched.stop();
  REQUIRE(backend.launches.size() == 2);
  CHECK(backend.launches[1].executor_id == "e2");
}

TEST_CASE("receivers holding every core of an executor, then of the application, are each warned about once",
          "[scheduler][locality][streaming]") {
  LogCapture log;
  Conf conf;
  conf.set("scheduler.revive.interval", "10ms");
  RecordingBackend backend;
  RecordingListener listener;
  TaskScheduler sched(conf, &backend, &listener);
  REQUIRE(sched.start().isOk());
  sched.executorAdded({"e1", "h1", "", 1, 1});
  sched.executorAdded({"e2", "h2", "", 2, 2});
  sched.submitTasks(receiverJob(1, "e1"));
  REQUIRE(sched.tasksLaunched() == 1);
  CHECK(log.count("receivers hold all 1 core(s) of executor e1") == 1);
  // e2 keeps a free core: no application-wide warning, however many revives pass.
  sched.submitTasks(receiverJob(2, "e2"));
  REQUIRE(sched.tasksLaunched() == 2);
  sched.reviveOffers();
  CHECK(log.count("of executor e2") == 0);

  sched.submitTasks(receiverJob(3, "e2"));
  REQUIRE(sched.tasksLaunched() == 3);
  CHECK(log.count("receivers hold all 2 core(s) of executor e2") == 1);
  CHECK(waitFor([&] { return log.count("receivers hold all 3 core(s) of the application") == 1; }, 30s));
  sched.stop();
  CHECK(log.count("The number of cores must exceed the number of receivers") == 1);
}
