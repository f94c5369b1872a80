// Issue 11 item 3: a client-mode streaming driver with a receiver, on a real master and
// worker, ends on SIGTERM within its deadline after its application was killed at the
// master (POST /app/kill/) or after the master was SIGKILLed: its stop paths do not wait
// for peers that are gone.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <csignal>

#include "tests/integration/http_json.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

const std::string kHost = "127.0.0.4";

// A master and one 2-core worker on kHost, and locality_app (a rate receiver, 1 s
// batches) submitted to them in client mode; every process is SIGKILLed at the end.
struct ReceiverAppOnCluster {
  TempDir tmp;
  std::unique_ptr<Child> master;
  std::unique_ptr<Child> worker;
  std::unique_ptr<Child> driver;
  int web_port = 0;
  std::string app_id;

  explicit ReceiverAppOnCluster(const std::string& name) : tmp(name) {
    master = std::make_unique<Child>(
        std::vector<std::string>{binDir() + "/sluice-master", "--host", kHost, "--port", "0", "--webui-port", "0"},
        tmp / "master");
    std::string port = waitForMatch([&] { return master->out(); }, "sluice://[0-9.]+:([0-9]+)", 10s);
    REQUIRE(!port.empty());
    web_port = std::stoi(waitForMatch([&] { return master->out(); }, "web UI at http://[0-9.]+:([0-9]+)", 1s));
    std::string url = "sluice://" + kHost + ":" + port;
    worker = std::make_unique<Child>(
        std::vector<std::string>{binDir() + "/sluice-worker", url, "--host", kHost, "--port", "0", "--webui-port",
                                 "0", "--cores", "2", "--memory", "2g", "--work-dir", tmp / "work"},
        tmp / "worker");
    REQUIRE(waitFor([&] { return masterJson().value("aliveworkers", 0) == 1; }, 20s));
    driver = std::make_unique<Child>(
        std::vector<std::string>{binDir() + "/sluice-submit", "--master", url, "--conf", "ui.enabled=false",
                                 libDir() + "/liblocality_app.so", "600"},
        tmp / "driver");
    // Running: the receiver reported in and batches complete.
    REQUIRE(!waitForMatch([&] { return driver->err(); }, "(receiver 0 started on executor)", 60s).empty());
    REQUIRE(!waitForMatch([&] { return driver->err(); }, "(batch [0-9]+: [0-9]+ records)", 30s).empty());
    auto apps = masterJson()["activeapps"];
    REQUIRE(apps.size() == 1);
    app_id = apps[0]["id"];
  }
  ~ReceiverAppOnCluster() {
    driver.reset();
    worker.reset();
    master.reset();
  }

  json masterJson() { return getJson(kHost, web_port).value_or(json::object()); }

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
  httplib::Client http(kHost, cluster.web_port);
  auto res = http.Post("/app/kill/", "id=" + cluster.app_id + "&terminate=true", "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 200);
  // The master ended it and its executors are gone.
  REQUIRE(waitFor([&] {
    json j = cluster.masterJson();
    return j.contains("completedapps") && !j["completedapps"].empty() && j["completedapps"][0]["state"] == "KILLED";
  }, 10s));
  REQUIRE(waitFor([&] { return descendantsNamed(cluster.worker->pid(), "sluice-executor").empty(); }, 20s));
  cluster.terminateDriverWithinDeadline();
}

TEST_CASE("a driver whose master was SIGKILLed stops within its deadline on SIGTERM",
          "[integration][streaming][stop]") {
  ReceiverAppOnCluster cluster("stop-after-master-kill");
  cluster.master->kill(SIGKILL);
  cluster.terminateDriverWithinDeadline();
}

TEST_CASE("the master refuses to kill an unknown application", "[integration][stop]") {
  TempDir tmp("kill-unknown-app");
  Child master({binDir() + "/sluice-master", "--host", kHost, "--port", "0", "--webui-port", "0"}, tmp / "master");
  int web_port = std::stoi(waitForMatch([&] { return master.out(); }, "web UI at http://[0-9.]+:([0-9]+)", 10s));
  httplib::Client http(kHost, web_port);
  auto res = http.Post("/app/kill/", "id=app-nope&terminate=true", "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 404);
}

// Issue 11 item 7 as a user sees it: the driver reports the window error and exits
// non-zero instead of hanging.
TEST_CASE("a driver whose window job fails exits non-zero with the error", "[integration][streaming][stop]") {
  TempDir tmp("failing-window");
  Child driver({binDir() + "/sluice-submit", "--master", "local[2]", "--conf", "ui.enabled=false",
                libDir() + "/libfailing_window_app.so"},
               tmp / "driver");
  auto exit = driver.wait(60s);
  INFO(driver.err());
  REQUIRE(exit.has_value());
  CHECK(exit->exit_code == 1);
  CHECK(driver.err().find("application failed: batch") != std::string::npos);
  CHECK(driver.err().find("the filter function probably dropped it") != std::string::npos);
}
