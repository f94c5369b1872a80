// A direct Kafka stream's exactly-once output across a driver failure (issue 18): a
// 4-partition topic on librdkafka's mock cluster (in this process, over TCP), a real
// sluice-master and two sluice-workers, kafka_numbered_app submitted with --deploy-mode
// cluster --supervise, its driver SIGKILLed while a batch whose output is saved has not
// completed, and relaunched by the master. The relaunched driver must re-run that batch on
// the offset ranges logged before the kill, and the saved output must hold every record once.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/streaming/kafka/kafka_test_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

const std::vector<std::pair<std::string, std::string>> kKafkaWorkers = {{"worker-a", "127.0.0.2"},
                                                                        {"worker-b", "127.0.0.3"}};

// The out-<batch-ms> directories under dir.
std::set<std::string> savedBatches(const std::filesystem::path& dir) {
  std::set<std::string> out;
  for (const auto& d : std::filesystem::directory_iterator(dir)) {
    std::string name = d.path().filename().string();
    if (name.rfind("out-", 0) == 0 && std::filesystem::exists(d.path() / "_SUCCESS")) out.insert(name);
  }
  return out;
}

// How often each value was saved, over every batch's directory.
std::map<std::string, int> savedValues(const std::filesystem::path& dir) {
  std::map<std::string, int> seen;
  for (const auto& batch : savedBatches(dir)) {
    for (const auto& part : std::filesystem::directory_iterator(dir / batch)) {
      if (part.path().filename().string().rfind("part-", 0) != 0) continue;
      std::istringstream in(readFile(part.path()));
      for (std::string v; in >> v;) ++seen[v];
    }
  }
  return seen;
}

}  // namespace

TEST_CASE("cluster mode: a SIGKILLed supervised driver re-runs the interrupted Kafka batch on the same ranges, "
          "every record saved once",
          "[integration][kafka]") {
  constexpr int kRecords = 8000;
  auto kafka = startMockKafka("numbered", 4);
  produceNumbered(kafka->bootstrap(), "numbered", 4, 0, kRecords);

  LocalStandaloneCluster cluster("kafka-recovery-cluster");
  cluster.startMaster({"--conf", "worker.timeout=2s"});
  for (const auto& [id, host] : kKafkaWorkers) cluster.startWorker(id, host, 2, "2g", {"--conf", "worker.killTimeout=20s"});
  REQUIRE(cluster.waitAliveWorkers(2, 10s));
  const TempDir& tmp = cluster.tmp();
  // 300 records per partition and second at 200 ms batches: 60 per partition per batch, some
  // 35 batches for the backlog, so that the kill falls mid-stream.
  auto submit = cluster.submit({"--deploy-mode", "cluster", "--supervise", "--total-executor-cores", "2",
                                "--executor-memory", "512m", "--conf", "driver.memory=512m", "--conf", "ui.port=0",
                                "--conf", "streaming.stopGracefullyOnShutdown=true", "--conf",
                                "streaming.kafka.maxRatePerPartition=300", "--conf",
                                "streaming.checkpoint.interval=1s", "--conf",
                                "streaming.checkpoint.dir=" + tmp / "checkpoint", libDir() + "/libkafka_numbered_app.so",
                                kafka->bootstrap(), "numbered", "200", tmp / "out"},
                               "submit");
  auto submitted = submit->wait(30s);
  INFO(submit->out() << submit->err());
  REQUIRE(submitted.has_value());
  REQUIRE(submitted->exit_code == 0);
  const std::string driver_id = firstCapture(submit->out(), R"(submitted driver (\S+))");
  REQUIRE(!driver_id.empty());
  pid_t first = -1;
  REQUIRE(waitFor([&] { return (first = cluster.driverPid(driver_id)) > 0; }, 20s));
  REQUIRE(waitFor([&] { return savedBatches(tmp.path()).size() >= 5; }, 60s));

  // Hold the next saved batch, then kill the driver while it holds.
  std::ofstream(tmp / "out.hold").put('\n');
  const std::set<std::string> before = savedBatches(tmp.path());
  std::string held;
  REQUIRE(waitFor(
      [&] {
        for (const auto& d : savedBatches(tmp.path()))
          if (!before.count(d)) held = d;
        return !held.empty();
      },
      20s));
  ::kill(first, SIGKILL);
  std::filesystem::remove(tmp / "out.hold");

  pid_t second = -1;
  REQUIRE(waitFor([&] { return (second = cluster.driverPid(driver_id)) > 0 && second != first; }, 30s));
  // Every record saved, then a graceful stop.
  REQUIRE(waitFor([&] { return savedValues(tmp.path()).size() == kRecords; }, 90s));
  auto kill = cluster.submit({"--kill", driver_id}, "kill");
  REQUIRE(kill->wait(20s).has_value());

  std::string log = cluster.driverLog(driver_id);
  INFO(log.substr(log.size() > 20000 ? log.size() - 20000 : 0));
  CHECK(log.find("re-running batch " + held.substr(4)) != std::string::npos);
  CHECK(log.find("batch " + held.substr(4) + " re-runs on the 4 offset ranges logged before the restart") !=
        std::string::npos);
  auto saved = savedValues(tmp.path());
  int duplicated = 0, lost = 0;
  for (int i = 0; i < kRecords; ++i) {
    auto it = saved.find("r" + std::to_string(i));
    if (it == saved.end()) ++lost;
    else if (it->second > 1) ++duplicated;
  }
  CHECK(lost == 0);
  CHECK(duplicated == 0);
  CHECK(saved.size() == kRecords);
}
