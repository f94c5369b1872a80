// Issue 11 item 3: a client-mode streaming driver with a receiver, on a real master and
// worker, ends on SIGTERM within its deadline after its application was killed at the
// master (POST /app/kill/) or after the master was SIGKILLed: its stop paths do not wait
// for peers that are gone.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <csignal>

#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

const std::string kHost = "127.0.0.4";

// A master and one 2-core worker on kHost, and locality_app (a rate receiver, 1 s
// batches) submitted to them in client mode; every process is SIGKILLed at the end.
struct ReceiverAppOnCluster {
  LocalStandaloneCluster daemons;
  std::unique_ptr<Child> driver;
  std::string app_id;

  explicit ReceiverAppOnCluster(const std::string& name) : daemons(name, kHost) {
    daemons.startMaster();
    daemons.startWorker("worker", kHost, 2, "2g");
    REQUIRE(daemons.waitAliveWorkers(1));
    driver = daemons.submit({"--conf", "ui.enabled=false", libDir() + "/liblocality_app.so", "600"}, "driver");
    // Running: the receiver reported in and batches complete.
    REQUIRE(!waitForMatch([&] { return driver->err(); }, "(receiver 0 started on executor)", 60s).empty());
    REQUIRE(!waitForMatch([&] { return driver->err(); }, "(batch [0-9]+: [0-9]+ records)", 30s).empty());
    auto apps = masterJson()["activeapps"];
    REQUIRE(apps.size() == 1);
    app_id = apps[0]["id"];
  }

  json masterJson() { return daemons.state().value_or(json::object()); }

  // SIGTERM to the driver: it must be gone within 30 s, having stopped by itself (not by
  // the shutdown hooks' watchdog).
  void terminateDriverWithinDeadline() {
    ::kill(driver->pid(), SIGTERM);
    auto exit = driver->wait(30s);
    INFO(driver->err());
    REQUIRE(exit.has_value());
    CHECK(exit->exit_code == 128 + SIGTERM);
    CHECK(driver->err().find("streaming stopped") != std::string::npos);
    CHECK(driver->err().find("shutdown hooks still running") == std::string::npos);
  }
};

}  // namespace

TEST_CASE("a driver whose application was killed at the master stops within its deadline on SIGTERM",
          "[integration][streaming][stop]") {
  ReceiverAppOnCluster cluster("stop-after-app-kill");
  httplib::Client http(kHost, cluster.daemons.webPort());
  auto res = http.Post("/app/kill/", "id=" + cluster.app_id + "&terminate=true", "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 200);
  // The master ended it and its executors are gone.
  REQUIRE(waitFor([&] {
    json j = cluster.masterJson();
    return j.contains("completedapps") && !j["completedapps"].empty() && j["completedapps"][0]["state"] == "KILLED";
  }, 10s));
  REQUIRE(waitFor(
      [&] { return descendantsNamed(cluster.daemons.worker("worker").pid(), "sluice-executor").empty(); }, 20s));
  cluster.terminateDriverWithinDeadline();
}

TEST_CASE("a driver whose master was SIGKILLed stops within its deadline on SIGTERM",
          "[integration][streaming][stop]") {
  ReceiverAppOnCluster cluster("stop-after-master-kill");
  cluster.daemons.killMaster();
  cluster.terminateDriverWithinDeadline();
}

TEST_CASE("the master refuses to kill an unknown application", "[integration][stop]") {
  LocalStandaloneCluster cluster("kill-unknown-app", kHost);
  cluster.startMaster();
  httplib::Client http(kHost, cluster.webPort());
  auto res = http.Post("/app/kill/", "id=app-nope&terminate=true", "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 404);
}

// Issue 11 item 7 as a user sees it: the driver reports the window error and exits
// non-zero instead of hanging.
TEST_CASE("a driver whose window job fails exits non-zero with the error", "[integration][streaming][stop]") {
  TempDir tmp("failing-window");
  Child driver(submitArgv("local[2]", {"--conf", "ui.enabled=false", libDir() + "/libfailing_window_app.so"}),
               tmp / "driver");
  auto exit = driver.wait(60s);
  INFO(driver.err());
  REQUIRE(exit.has_value());
  CHECK(exit->exit_code == 1);
  CHECK(driver.err().find("application failed: batch") != std::string::npos);
  CHECK(driver.err().find("the filter function probably dropped it") != std::string::npos);
}
