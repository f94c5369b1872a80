// Ports: a taken port is detected, never shared. Two drivers asked for the same UI port
// get ports of their own and each serves its own application; a master or a worker whose
// web UI or RPC port is taken exits non-zero with one message saying so, and the daemon
// holding the port goes on serving it alone.
#include <catch2/catch.hpp>

#include <regex>

#include "common/http_server.h"
#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// A port on 127.0.0.1 that was free a moment ago (bound to any port, then released).
int portFreeNow() {
  HttpServer probe;
  auto port = probe.start("127.0.0.1", 0, 0, "probe");
  REQUIRE(port.isOk());
  return *port;
}

// The "REST API at http://<host>:<port>" line of a driver's log, once it is there.
struct UiLine {
  std::string host;
  int port = 0;
};
UiLine waitUiLine(Child& driver) {
  std::string line = waitForMatch([&] { return driver.err(); }, "(REST API at http://[^ ]+)", 60s);
  INFO(driver.err());
  REQUIRE(!line.empty());
  std::smatch m;
  REQUIRE(std::regex_search(line, m, std::regex(R"(http://([^:/ ]+):(\d+))")));
  return {m[1].str(), std::stoi(m[2].str())};
}

// A second daemon's exit: code 1, and its one error line, which must contain what.
void requireStartFailure(Child& daemon, const std::string& what) {
  requireExitCode(daemon, 1, 20s);
  std::string err = daemon.err();
  INFO(err);
  CHECK(countOf(err, "cannot start") == 1);
  CHECK_THAT(err, Catch::Contains(what));
  CHECK(daemon.out().find("listening at") == std::string::npos);
}

}  // namespace

TEST_CASE("ports: two drivers started together on the same UI port get ports of their own",
          "[integration][ports]") {
  TempDir tmp_a("ports-driver-a"), tmp_b("ports-driver-b");
  TextGenerator gen_a(tmp_a, 50, 0), gen_b(tmp_b, 50, 0);
  const int wanted = portFreeNow();
  auto driver = [&](const TempDir& tmp, int gen_port) {
    return submitArgv("local[2]", {"--conf", "ui.port=" + std::to_string(wanted), libDir() + "/libnetwork_word_count.so",
                                   "127.0.0.1", std::to_string(gen_port), "200"});
  };
  // Both start before either has bound its UI.
  Child a(driver(tmp_a, gen_a.port), tmp_a / "driver");
  Child b(driver(tmp_b, gen_b.port), tmp_b / "driver");
  REQUIRE(a.started());
  REQUIRE(b.started());
  UiLine ui_a = waitUiLine(a), ui_b = waitUiLine(b);
  INFO(a.err() << "\n---\n" << b.err());
  CHECK(ui_a.port != ui_b.port);
  for (int port : {ui_a.port, ui_b.port}) {
    CHECK(port >= wanted);
    CHECK(port <= wanted + 16);  // port.maxRetries
  }
  // The address logged is one a user can open: driver.host, not the wildcard it is bound to.
  CHECK(ui_a.host == "127.0.0.1");
  CHECK_THAT(a.err(), Catch::Contains("(bound to 0.0.0.0:" + std::to_string(ui_a.port) + ")"));
  // The one that did not get the port said so (an outside process may have taken it: then both did).
  const std::string taken = "driver UI: port " + std::to_string(wanted) + " on 0.0.0.0 is taken; trying port " +
                            std::to_string(wanted + 1);
  CHECK((a.err().find(taken) != std::string::npos || b.err().find(taken) != std::string::npos));

  // Each port answers with its own application, every time.
  for (auto [child, ui] : {std::pair<Child*, UiLine>{&a, ui_a}, {&b, ui_b}}) {
    // The UI line comes first; the application's start line follows it (wait for it).
    std::string app_id = waitForMatch([&] { return child->err(); }, R"(application (app-\S+) started)", 30s);
    REQUIRE(!app_id.empty());
    for (int i = 0; i < 5; ++i) {
      auto apps = getJson("127.0.0.1", ui.port, "/api/v1/applications");
      REQUIRE(apps.has_value());
      REQUIRE(apps->size() == 1);
      CHECK((*apps)[0]["id"] == app_id);
    }
  }
}

TEST_CASE("ports: a master whose web UI or RPC port is taken exits non-zero saying so", "[integration][ports]") {
  LocalStandaloneCluster cluster("ports-master");
  cluster.startMaster();
  const std::string host = cluster.masterHost();

  Child web(std::vector<std::string>{binDir() + "/sluice-master", "--host", host, "--port", "0", "--webui-port",
                                     std::to_string(cluster.webPort())},
            cluster.tmp() / "master-web-taken");
  requireStartFailure(web, "master web UI (--webui-port): port " + std::to_string(cluster.webPort()) + " on " +
                               host + " is taken (Address already in use)");

  Child rpc(std::vector<std::string>{binDir() + "/sluice-master", "--host", host, "--port",
                                     std::to_string(cluster.port()), "--webui-port", "0"},
            cluster.tmp() / "master-rpc-taken");
  requireStartFailure(rpc, "cannot listen on " + host + ":" + std::to_string(cluster.port()) + " (--port)");
  CHECK_THAT(rpc.err(), Catch::Contains("Address already in use"));

  // The first master still serves its port, alone.
  for (int i = 0; i < 5; ++i) CHECK(cluster.requireState()["url"] == cluster.url());
}

TEST_CASE("ports: a worker whose web UI port is taken exits non-zero saying so", "[integration][ports]") {
  LocalStandaloneCluster cluster("ports-worker");
  cluster.startMaster();
  cluster.startWorker("worker-a", "127.0.0.3", 1, "512m");
  const int taken = cluster.workerWebPort("worker-a");
  Child second(std::vector<std::string>{binDir() + "/sluice-worker", cluster.url(), "--host", "127.0.0.3", "--port",
                                        "0", "--webui-port", std::to_string(taken), "--cores", "1", "--memory",
                                        "512m", "--work-dir", cluster.workDir("worker-b"), "--worker-id",
                                        "worker-b"},
               cluster.tmp() / "worker-b");
  requireStartFailure(second, "worker web UI (--webui-port): port " + std::to_string(taken) +
                                  " on 127.0.0.3 is taken (Address already in use)");
  // The first worker still answers on its port, and the master knows only it.
  auto own = getJson("127.0.0.3", taken);
  REQUIRE(own.has_value());
  CHECK((*own)["id"] == "worker-a");
  REQUIRE(cluster.waitAliveWorkers(1));
  CHECK(cluster.requireState()["workers"].size() == 1);
}
