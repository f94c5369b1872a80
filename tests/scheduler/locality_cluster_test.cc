// Locality on a real cluster: a master and two workers on 127.0.0.2 and 127.0.0.3 (one
// 2-core executor each) and a rate receiver on one of them. With the default waits the
// block tasks run where their blocks are; with locality.wait=0 they spread to both hosts.
#include <catch2/catch.hpp>

#include <regex>

#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

struct Counts {
  int total = 0, process_local = 0, hosts = 0;
};

// A master on 127.0.0.1 and two workers on 127.0.0.2 and 127.0.0.3 (2 cores, 1 GB each),
// both registered.
void startTwoHosts(LocalStandaloneCluster& cluster) {
  cluster.startMaster();
  for (std::string host : {"127.0.0.2", "127.0.0.3"}) cluster.startWorker("worker-" + host, host, 2, "1024m");
  REQUIRE(cluster.waitAliveWorkers(2, 10s));
}

// locality_app (5 batches) submitted with 2-core executors and confs; its counts of block
// tasks by locality level.
Counts run(const LocalStandaloneCluster& cluster, const std::string& name, const std::vector<std::string>& confs) {
  std::vector<std::string> args{"--conf", "executor.cores=2"};
  for (auto& c : confs) args.insert(args.end(), {"--conf", c});
  args.insert(args.end(), {libDir() + "/liblocality_app.so", "5"});
  auto submit = cluster.submit(args, name);
  requireExitCode(*submit, 0, 120s);
  std::smatch m;
  std::string out = submit->out();
  static const std::regex kLine(R"(block tasks (\d+) process_local (\d+) node_local \d+ any \d+ hosts (\d+))");
  REQUIRE(std::regex_search(out, m, kLine));
  return {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
}

}  // namespace

TEST_CASE("block tasks run PROCESS_LOCAL with the default waits and spread with locality.wait 0",
          "[integration][locality]") {
  LocalStandaloneCluster cluster("locality-cluster", "127.0.0.1");
  startTwoHosts(cluster);
  Counts local = run(cluster, "default-wait", {});
  INFO("default waits: " << local.process_local << " of " << local.total << " block tasks PROCESS_LOCAL on "
                         << local.hosts << " hosts");
  REQUIRE(local.total >= 10);
  CHECK(local.process_local >= 0.95 * local.total);

  Counts spread = run(cluster, "no-wait", {"locality.wait=0"});
  INFO("locality.wait=0: " << spread.process_local << " of " << spread.total << " PROCESS_LOCAL on " << spread.hosts
                           << " hosts");
  REQUIRE(spread.total >= 10);
  CHECK(spread.hosts == 2);
}
