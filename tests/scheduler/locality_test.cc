// Delay scheduling in TaskSetManager, with a manual clock: the level relaxes from
// PROCESS_LOCAL to NODE_LOCAL to ANY only after the waits, levels without pending tasks
// are skipped at once, and a launch resets the level.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "scheduler/task_set_manager.h"

using namespace sluice;

namespace {

// n tasks, each preferring executor e1 and host h1.
std::shared_ptr<TaskSet> localTasks(int n, std::vector<std::string> prefs = {"executor:e1", "h1"}) {
  auto ts = std::make_shared<TaskSet>();
  ts->stage_id = 1;
  for (int i = 0; i < n; ++i) {
    ts->partitions.push_back(i);
    ts->preferred.push_back(prefs);
  }
  ts->binary = std::make_shared<rpc::StageBinary>();
  return ts;
}

TaskSetConfig waits(int64_t process_ms, int64_t node_ms) {
  TaskSetConfig c;
  c.waits.process_ms = process_ms;
  c.waits.node_ms = node_ms;
  return c;
}

// e1 and e2 on h1, e3 on h2.
const std::map<std::string, std::string> kExecutors{{"e1", "h1"}, {"e2", "h1"}, {"e3", "h2"}};

}  // namespace

TEST_CASE("delay scheduling goes PROCESS_LOCAL to NODE_LOCAL to ANY after the waits", "[scheduler][locality]") {
  ManualClock clock(1000);
  TaskSetManager m(localTasks(4), waits(3000, 2000), clock);
  m.executorsChanged(kExecutors);
  REQUIRE(m.localityLevels() ==
          std::vector<TaskLocality>{TaskLocality::kProcessLocal, TaskLocality::kNodeLocal, TaskLocality::kAny});
  int64_t id = 0;

  // e1 is busy; the others are refused while the process wait runs.
  CHECK(m.allowedLocality() == TaskLocality::kProcessLocal);
  CHECK_FALSE(m.resourceOffer("e2", "h1", TaskLocality::kAny, id));
  CHECK_FALSE(m.resourceOffer("e3", "h2", TaskLocality::kAny, id));
  clock.advance(2999);
  CHECK_FALSE(m.resourceOffer("e2", "h1", TaskLocality::kAny, id));

  // After locality.wait.process: same host is fine, another host is not.
  clock.advance(1);
  CHECK(m.allowedLocality() == TaskLocality::kNodeLocal);
  CHECK_FALSE(m.resourceOffer("e3", "h2", TaskLocality::kAny, id));
  auto node = m.resourceOffer("e2", "h1", TaskLocality::kAny, id++);
  REQUIRE(node);
  CHECK(node->locality == TaskLocality::kNodeLocal);

  // The NODE_LOCAL launch restarted the node wait.
  clock.advance(1999);
  CHECK_FALSE(m.resourceOffer("e3", "h2", TaskLocality::kAny, id));
  clock.advance(1);
  CHECK(m.allowedLocality() == TaskLocality::kAny);
  auto any = m.resourceOffer("e3", "h2", TaskLocality::kAny, id++);
  REQUIRE(any);
  CHECK(any->locality == TaskLocality::kAny);

  // A PROCESS_LOCAL launch resets the level: other hosts wait again.
  auto local = m.resourceOffer("e1", "h1", TaskLocality::kAny, id++);
  REQUIRE(local);
  CHECK(local->locality == TaskLocality::kProcessLocal);
  CHECK(m.allowedLocality() == TaskLocality::kProcessLocal);
  CHECK_FALSE(m.resourceOffer("e3", "h2", TaskLocality::kAny, id));
}

TEST_CASE("an offer is never placed worse than its max locality", "[scheduler][locality]") {
  ManualClock clock;
  TaskSetManager m(localTasks(2), waits(0, 0), clock);
  m.executorsChanged(kExecutors);
  CHECK_FALSE(m.resourceOffer("e3", "h2", TaskLocality::kProcessLocal, 0));
  CHECK_FALSE(m.resourceOffer("e3", "h2", TaskLocality::kNodeLocal, 0));
  auto t = m.resourceOffer("e3", "h2", TaskLocality::kAny, 0);
  REQUIRE(t);
  CHECK(t->locality == TaskLocality::kAny);
}

TEST_CASE("levels without pending tasks are skipped at once", "[scheduler][locality]") {
  ManualClock clock;
  SECTION("no executor of the preferred ones is alive: no PROCESS_LOCAL level") {
    TaskSetManager m(localTasks(2, {"executor:gone", "h9"}), waits(3000, 3000), clock);
    m.executorsChanged(kExecutors);
    CHECK(m.localityLevels() == std::vector<TaskLocality>{TaskLocality::kAny});
    CHECK(m.resourceOffer("e3", "h2", TaskLocality::kAny, 0));
  }
  SECTION("the process-local tasks all launched: node-local ones do not wait for them") {
    auto ts = localTasks(1);
    ts->partitions.push_back(1);
    ts->preferred.push_back({"h2"});
    TaskSetManager m(ts, waits(3000, 3000), clock);
    m.executorsChanged(kExecutors);
    auto a = m.resourceOffer("e1", "h1", TaskLocality::kAny, 0);
    REQUIRE(a);
    CHECK(a->partition == 0);
    auto b = m.resourceOffer("e3", "h2", TaskLocality::kAny, 1);
    REQUIRE(b);
    CHECK(b->locality == TaskLocality::kNodeLocal);
  }
  SECTION("tasks without preferences launch at once") {
    auto ts = localTasks(1);
    ts->partitions.push_back(1);
    ts->preferred.push_back({});
    TaskSetManager m(ts, waits(3000, 3000), clock);
    m.executorsChanged(kExecutors);
    auto t = m.resourceOffer("e3", "h2", TaskLocality::kAny, 0);
    REQUIRE(t);
    CHECK(t->partition == 1);
    CHECK(t->locality == TaskLocality::kNoPref);
    CHECK_FALSE(m.resourceOffer("e3", "h2", TaskLocality::kAny, 1));
  }
}

TEST_CASE("locality waits come from locality.wait and its per-level overrides", "[scheduler][locality]") {
  Conf conf;
  CHECK(LocalityWaits::fromConf(conf).process_ms == 3000);
  conf.set("locality.wait", "500ms");
  CHECK(LocalityWaits::fromConf(conf).node_ms == 500);
  conf.set("locality.wait.process", "0");
  CHECK(LocalityWaits::fromConf(conf).process_ms == 0);
  CHECK(LocalityWaits::fromConf(conf).node_ms == 500);
}

TEST_CASE("locality of an executor for a task's preferences", "[scheduler][locality]") {
  std::vector<std::string> prefs{"executor:e1", "h1"};
  CHECK(localityOf(prefs, "e1", "h1") == TaskLocality::kProcessLocal);
  CHECK(localityOf(prefs, "e10", "h1") == TaskLocality::kNodeLocal);
  CHECK(localityOf(prefs, "e3", "h2") == TaskLocality::kAny);
  CHECK(localityOf({}, "e3", "h2") == TaskLocality::kNoPref);
}
