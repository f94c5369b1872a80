// Executors per worker and the worker's defaults as in Spark standalone (issue 15, item
// 8): without executor.cores an application gets one executor per worker with all the
// cores it can take there; a worker started without --cores and --memory offers all the
// machine's cores and its memory minus 1 GiB.
#include <sched.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

const std::string kMasterHost = "127.0.0.6";
const std::string kHostA = "127.0.0.6";
const std::string kHostB = "127.0.0.7";

// The worker in the master's /json with this id; REQUIREs it.
json workerOf(const json& state, const std::string& id) {
  for (const json& w : state["workers"]) {
    if (w.value("id", "") == id) return w;
  }
  INFO(state.dump(2));
  FAIL("no worker " << id);
  return {};
}

// What the worker must offer by default, computed here as nproc and scripts/start-worker.sh do.
int machineCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  REQUIRE(::sched_getaffinity(0, sizeof set, &set) == 0);
  return CPU_COUNT(&set);
}
int64_t machineMemoryMbMinus1g() {
  std::ifstream meminfo("/proc/meminfo");
  std::string name, unit;
  int64_t kb = 0;
  REQUIRE(meminfo >> name >> kb >> unit);
  REQUIRE(name == "MemTotal:");
  return std::max<int64_t>(1024, kb / 1024 - 1024);
}

}  // namespace

TEST_CASE("allocation: --total-executor-cores 4 on two 2-core workers gives one 2-core executor on each",
          "[integration][standalone][allocation]") {
  LocalStandaloneCluster cluster("alloc-per-worker", kMasterHost);
  cluster.startMaster();
  cluster.startWorker("worker-a", kHostA, 2, "4g");
  cluster.startWorker("worker-b", kHostB, 2, "4g");
  REQUIRE(cluster.waitAliveWorkers(2, 20s));
  GeneratorProcess gen(cluster.tmp(), {"--rate", "1000"});
  StreamingDriverProcess app(
      submitArgv(cluster.url(), {"--total-executor-cores", "4", "--conf", "ui.port=0",
                                 libDir() + "/libnetwork_word_count.so", "127.0.0.1", std::to_string(gen.port), "500"}),
      cluster.tmp() / "driver");
  const std::string executors_path = "/api/v1/applications/" + app.app_id + "/executors";
  json executors;
  REQUIRE(waitFor([&] { return (executors = app.get(executors_path)).size() >= 2; }, 30s));
  INFO(executors.dump(2));
  REQUIRE(executors.size() == 2);
  std::set<std::string> hosts;
  for (const json& e : executors) {
    CHECK(e["totalCores"] == 2);
    std::string host_port = e["hostPort"];
    hosts.insert(host_port.substr(0, host_port.find(':')));
  }
  CHECK(hosts == std::set<std::string>{kHostA, kHostB});
  // The master agrees: each worker gave its 2 cores to one executor.
  json state = cluster.requireState();
  CHECK(workerOf(state, "worker-a")["coresused"] == 2);
  CHECK(workerOf(state, "worker-b")["coresused"] == 2);
}

TEST_CASE("a worker started without --cores and --memory offers all cores and all memory minus 1 GiB",
          "[integration][standalone][allocation]") {
  LocalStandaloneCluster cluster("alloc-worker-defaults", kMasterHost);
  cluster.startMaster();
  cluster.startWorker("worker-defaults", kHostA, 0, "");
  REQUIRE(cluster.waitAliveWorkers(1, 20s));
  json w = workerOf(cluster.requireState(), "worker-defaults");
  CHECK(w["cores"] == machineCores());
  CHECK(w["memory"] == machineMemoryMbMinus1g());
}
