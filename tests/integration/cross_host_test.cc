// Client mode with the workers on other hosts (issue 15, item 4): a master and two workers
// in network namespaces on addresses of their own (tests/integration/network_hosts.h), the
// driver here, in the test's namespace, as a user's laptop beside a cluster. Without
// driver.host the driver advertises the address that routes to the master, and says so;
// a driver.host the workers cannot reach ends the start with a message naming it.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>

#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/network_hosts.h"
#include "tests/integration/process_util.h"
#include "tests/integration/word_count_output.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// A master on host 1 and two 2-core workers on hosts 2 and 3, each in its namespace. The
// hosts are made first and removed last: the cluster's processes die before their
// namespaces go.
struct CrossHostCluster {
  TempDir tmp;
  NetworkHosts hosts;
  std::unique_ptr<LocalStandaloneCluster> cluster;

  explicit CrossHostCluster(const std::string& name) : tmp(name + "-hosts"), hosts(tmp, 3) {
    if (!hosts.available()) return;
    cluster = std::make_unique<LocalStandaloneCluster>(name, hosts.address(1));
    for (int i = 1; i <= 3; ++i) cluster->runOnHost(hosts.address(i), hosts.launcher(i));
    cluster->startMaster();
    cluster->startWorker("worker-2", hosts.address(2), 2, "2g");
    cluster->startWorker("worker-3", hosts.address(3), 2, "2g");
    REQUIRE(cluster->waitAliveWorkers(2, 20s));
  }
};

// Some lines of words, and the counts word_count must write for them.
WordCounts writeInput(const std::string& path) {
  WordCounts want;
  std::ofstream out(path);
  for (int line = 0; line < 2000; ++line) {
    for (int w = 0; w <= line % 7; ++w) {
      std::string word = "w" + std::to_string((line * 31 + w) % 97);
      out << (w ? " " : "") << word;
      ++want[word];
    }
    out << "\n";
  }
  return want;
}

}  // namespace

TEST_CASE("client mode with workers on other hosts and no driver.host: the driver advertises the address that "
          "routes to the master, and word_count is right",
          "[integration][standalone][cross-host]") {
  CrossHostCluster c("cross-host-wc");
  if (!c.hosts.available()) {
    WARN("SKIPPED: cannot make network namespaces for the test hosts (" << c.hosts.unavailableReason() << ")");
    return;
  }
  LocalStandaloneCluster& cluster = *c.cluster;
  // Absolute paths: the executors run in their own work dirs.
  WordCounts want = writeInput(cluster.tmp() / "input.txt");
  auto submit = cluster.submit({"--deploy-mode", "client", "--total-executor-cores", "4", "--conf", "ui.enabled=false",
                                libDir() + "/libword_count.so", cluster.tmp() / "input.txt", cluster.tmp() / "out"},
                               "client");
  requireExitCode(*submit, 0, 120s);
  CHECK(submit->err().find("driver advertises " + c.hosts.bridgeAddress() + " to its executors") != std::string::npos);
  CHECK(readWordCounts(cluster.tmp() / "out") == want);
}

TEST_CASE("client mode with workers on other hosts: executors that cannot connect back to driver.host end the "
          "start with a message naming the address and driver.host",
          "[integration][standalone][cross-host]") {
  CrossHostCluster c("cross-host-unreachable");
  if (!c.hosts.available()) {
    WARN("SKIPPED: cannot make network namespaces for the test hosts (" << c.hosts.unavailableReason() << ")");
    return;
  }
  LocalStandaloneCluster& cluster = *c.cluster;
  writeInput(cluster.tmp() / "input.txt");
  // 127.0.0.1 is this namespace's loopback: the workers' executors reach their own.
  auto args = [&](const std::string& registration_timeout, const std::string& out) {
    return std::vector<std::string>{"--conf", "driver.host=127.0.0.1",
                                    "--conf", "executor.registrationTimeout=" + registration_timeout,
                                    "--conf", "ui.enabled=false",
                                    libDir() + "/libword_count.so", cluster.tmp() / "input.txt", cluster.tmp() / out};
  };
  SECTION("none registers within executor.registrationTimeout") {
    auto submit = cluster.submit(args("3s", "out-timeout"), "timeout");
    requireExitCode(*submit, 1, 60s);
    const std::string err = submit->err();
    CHECK(err.find("executors cannot connect back to this driver at tcp://127.0.0.1:") != std::string::npos);
    CHECK(err.find("none registered within 3 s") != std::string::npos);
    CHECK(err.find("set --conf driver.host=") != std::string::npos);
  }
  SECTION("an executor gives up on the driver and exits") {
    // The executors give up after their own 30 s registration wait, well before this.
    auto submit = cluster.submit(args("5min", "out-exit"), "exit");
    requireExitCode(*submit, 1, 120s);
    const std::string err = submit->err();
    CHECK(err.find("executors cannot connect back to this driver at tcp://127.0.0.1:") != std::string::npos);
    CHECK(err.find("ended before any executor registered") != std::string::npos);
    CHECK(err.find("set --conf driver.host=") != std::string::npos);
  }
}

TEST_CASE("the test hosts' namespaces and links are gone once the test ends", "[integration][cross-host]") {
  std::vector<std::string> made;
  {
    TempDir tmp("cross-host-cleanup");
    NetworkHosts hosts(tmp, 2);
    if (!hosts.available()) {
      WARN("SKIPPED: cannot make network namespaces for the test hosts (" << hosts.unavailableReason() << ")");
      return;
    }
    made = hosts.namespaces();
    for (const auto& link : hosts.links()) made.push_back(link);
  }
  REQUIRE(!made.empty());
  for (const auto& name : made) {
    INFO(name);
    CHECK(!std::filesystem::exists("/run/netns/" + name));
    CHECK(!std::filesystem::exists("/sys/class/net/" + name));
  }
}
