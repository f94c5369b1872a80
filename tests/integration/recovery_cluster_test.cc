// Driver recovery in cluster mode (issue 6): a real sluice-master and two sluice-workers
// on 127.0.0.2 and 127.0.0.3, numbered_lines_app submitted with --deploy-mode cluster
// --supervise, its driver SIGKILLed mid-stream and relaunched by the master by itself, and
// every record of sluice-gen --numbered counted by its number in the saved output.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/numbered_records.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, std::string>> kWorkers = {{"worker-a", "127.0.0.2"},
                                                                   {"worker-b", "127.0.0.3"}};

// A master on 127.0.0.2 and workers worker-a on 127.0.0.2 and worker-b on 127.0.0.3
// (3 cores, 4 GB each), both ALIVE.
void startCluster(LocalStandaloneCluster& cluster) {
  cluster.startMaster({"--conf", "worker.timeout=2s"});
  for (const auto& [id, host] : kWorkers) {
    // A graceful streaming stop takes a few batches: give it time before SIGKILL.
    cluster.startWorker(id, host, 3, "4g", {"--conf", "worker.killTimeout=20s"});
  }
  REQUIRE(cluster.waitAliveWorkers(2, 10s));
}

// The driver's streaming statistics from its REST API (found in its log as the newest
// "REST API at" line), or nullopt.
std::optional<json> streamingStatistics(const std::string& log) {
  std::regex re(R"(REST API at http://([0-9.]+):(\d+))");
  std::smatch last;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), re); it != std::sregex_iterator();
       ++it)
    last = *it;
  if (last.empty()) return std::nullopt;
  const std::string host = last[1].str();
  const int port = std::stoi(last[2].str());
  auto apps = getJson(host, port, "/api/v1/applications");
  if (!apps || apps->empty()) return std::nullopt;
  return getJson(
      host, port,
      "/api/v1/applications/" + (*apps)[0]["id"].get<std::string>() + "/streaming/statistics");
}

// The running count numbered_lines_app's "stateful" saved in its last batch
// (out.state-<batch-ms>/part-*), -1 when there is none.
int64_t lastRunningCount(const TempDir& tmp) {
  std::filesystem::path last;
  for (const auto& dir : std::filesystem::directory_iterator(tmp.path())) {
    std::string name = dir.path().filename().string();
    if (name.rfind("out.state-", 0) == 0 && (last.empty() || name > last.filename().string())) last = dir.path();
  }
  if (last.empty()) return -1;
  int64_t total = 0;
  for (const auto& part : std::filesystem::directory_iterator(last)) {
    if (part.path().filename().string().rfind("part-", 0) != 0) continue;
    std::istringstream in(readFile(part.path()));
    for (int64_t n; in >> n;) total += n;
  }
  return total;
}

// The output directories (out-<batch-ms>) that hold a record number also found in another
// one or twice in the same one: where the duplicates are.
std::string duplicateDirs(const TempDir& tmp, int64_t count) {
  std::vector<std::vector<std::string>> where(static_cast<size_t>(count));
  for (const auto& dir : std::filesystem::directory_iterator(tmp.path())) {
    std::string name = dir.path().filename().string();
    if (name.rfind("out-", 0) != 0) continue;
    for (const auto& part : std::filesystem::directory_iterator(dir.path())) {
      if (part.path().filename().string().rfind("part-", 0) != 0) continue;
      std::istringstream in(readFile(part.path()));
      for (int64_t seq; in >> seq;)
        if (seq >= 0 && seq < count) where[static_cast<size_t>(seq)].push_back(name);
    }
  }
  std::map<std::string, int64_t> per_dir;
  for (const auto& dirs : where) {
    if (dirs.size() < 2) continue;
    for (const auto& d : dirs) ++per_dir[d];
  }
  std::string out;
  for (const auto& [d, n] : per_dir) out += " " + d + ":" + std::to_string(n);
  return out.empty() ? " none" : out;
}

// The out-<batch-ms> directories of the saved output.
std::set<std::string> outputDirs(const TempDir& tmp) {
  std::set<std::string> dirs;
  for (const auto& dir : std::filesystem::directory_iterator(tmp.path())) {
    std::string name = dir.path().filename().string();
    if (name.rfind("out-", 0) == 0) dirs.insert(name);
  }
  return dirs;
}

// numbered_lines_app in cluster mode with --supervise; its driver SIGKILLed once some
// thousands of records were received, relaunched by the master, and stopped gracefully
// (sluice-submit --kill: SIGTERM) once sluice-gen had every record acknowledged. With
// hold, the kill falls while a batch whose output is saved has not completed (the app's
// "hold": each batch, once saved, waits while <output-prefix>.hold exists), so that the
// relaunched driver must re-run it; the app then also keeps a running count of the records
// with updateStateByKey (its "stateful"), which the relaunched driver must start from the
// checkpointed state.
Counted killSupervisedDriver(bool wal, bool hold = false) {
  LocalStandaloneCluster cluster(!wal   ? "recovery-cluster-driver-nowal"
                                 : hold ? "recovery-cluster-driver-hold"
                                        : "recovery-cluster-driver-wal");
  startCluster(cluster);
  const TempDir& tmp = cluster.tmp();
  const int64_t count = 16000;
  NumberedGenerator gen(tmp, 2000, count);
  // Executors of 2 cores: the receiver's executor has a core left for the tasks of its
  // blocks, which otherwise wait out the locality waits behind the receiver.
  std::vector<std::string> args{
      "--deploy-mode",
      "cluster",
      "--supervise",
      "--total-executor-cores",
      "4",
      "--executor-cores",
      "2",
      "--executor-memory",
      "512m",
      "--conf",
      "driver.memory=512m",
      "--conf",
      "ui.port=0",
      "--conf",
      "streaming.stopGracefullyOnShutdown=true",
      "--conf",
      "streaming.blockInterval=100",
      "--conf",
      "streaming.checkpoint.interval=1s",
      "--conf",
      std::string("streaming.receiver.writeAheadLog.enable=") + (wal ? "true" : "false"),
      "--conf",
      "streaming.checkpoint.dir=" + tmp / "checkpoint",
      libDir() + "/libnumbered_lines_app.so",
      "127.0.0.1",
      std::to_string(gen.port),
      "200",
      tmp / "out"};
  if (hold) args.insert(args.end(), {"hold", "stateful"});
  auto submit = cluster.submit(args, "submit");
  auto submitted = submit->wait(30s);
  INFO(submit->out() << submit->err());
  REQUIRE(submitted.has_value());
  REQUIRE(submitted->exit_code == 0);
  const std::string driver_id = firstCapture(submit->out(), R"(submitted driver (\S+))");
  REQUIRE(!driver_id.empty());

  pid_t first = -1;
  REQUIRE(waitFor([&] { return (first = cluster.driverPid(driver_id)) > 0; }, 20s));
  // Some thousands received and some saved, and some received (acknowledged to sluice-gen)
  // but not saved yet: what the kill puts at risk.
  REQUIRE(waitFor(
      [&] {
        auto stats = streamingStatistics(cluster.driverLog(driver_id));
        if (!stats) return false;
        const int64_t received = (*stats)["numReceivedRecords"],
                      processed = (*stats)["numProcessedRecords"];
        // With hold, late enough for a checkpoint to hold the state (taken every 10 batches).
        return received > (hold ? 7000 : 4000) && processed > 2000 && received > processed;
      },
      30s));
  std::string held;
  if (hold) {
    std::ofstream(tmp / "out.hold").put('\n');
    // A batch saved from now on waits, not completed, after saving.
    const std::set<std::string> before = outputDirs(tmp);
    REQUIRE(waitFor(
        [&] {
          for (const auto& d : outputDirs(tmp)) {
            if (!before.count(d)) held = d;
          }
          return !held.empty();
        },
        10s));
  }
  ::kill(first,
         SIGKILL);  // the driver only: its executors run on, until the master ends its application
  if (hold) std::filesystem::remove(tmp / "out.hold");

  // The master relaunches it by itself: a new process for the same driver id.
  pid_t second = -1;
  REQUIRE(
      waitFor([&] { return (second = cluster.driverPid(driver_id)) > 0 && second != first; }, 20s));
  INFO(cluster.master().err());
  CHECK(cluster.master().err().find("relaunching supervised driver " + driver_id) !=
        std::string::npos);

  // sluice-gen exits once every record is acknowledged (stored in the WAL, or in an
  // executor's memory without it, and known to the driver).
  auto gen_exit = gen.child.wait(40s);
  INFO(gen.child.err());
  REQUIRE(gen_exit.has_value());
  CHECK(gen.child.out().find("acked=" + std::to_string(count)) != std::string::npos);

  // A graceful stop: the worker SIGTERMs the driver, which processes what it received.
  auto kill = cluster.submit({"--kill", driver_id}, "kill");
  REQUIRE(kill->wait(20s).has_value());
  INFO(kill->out() << kill->err());
  CHECK(kill->out().find("killed driver " + driver_id) != std::string::npos);
  // Two applications: the SIGKILLed driver's FAILED, the relaunched one's FINISHED (its
  // SIGTERM hook stopped the context) or KILLED.
  json done;
  REQUIRE(cluster.waitJson(
      [&](const json& s) {
        done = s;
        return findById(s["completeddrivers"], driver_id) != nullptr && s["activeapps"].empty() &&
               s["completedapps"].size() == 2;
      },
      30s));
  std::multiset<std::string> app_states;
  for (const auto& app : done["completedapps"]) app_states.insert(app["state"].get<std::string>());
  INFO(done.dump());
  CHECK(app_states.count("FAILED") == 1);
  CHECK(app_states.count("FINISHED") + app_states.count("KILLED") == 1);
  std::string log = cluster.driverLog(driver_id);
  if (wal) CHECK(log.find("recovering from the checkpoint") != std::string::npos);
  if (hold) CHECK(log.find("re-running batch " + held.substr(4)) != std::string::npos);
  CHECK(log.find("streaming stopped gracefully") !=
        std::string::npos);  // not SIGKILLed at worker.killTimeout

  if (hold) {
    CHECK(log.find("the state of 1 streams saved") != std::string::npos);
    // The count in the state of the last batch: every record once.
    CHECK(lastRunningCount(tmp) == count);
  }
  Counted c = countRecords(tmp, count);
  UNSCOPED_INFO((wal ? "WAL on" : "WAL off")
                << (hold ? ", held batch " + held : "") << ": sent " << count << ", lost " << c.lost
                << ", duplicated " << c.duplicated << " (in" << duplicateDirs(tmp, count) << "); "
                << gen.child.out());
  return c;
}

}  // namespace

TEST_CASE(
    "cluster mode: a SIGKILLed supervised driver is relaunched by the master, losing and "
    "duplicating no record",
    "[integration][recovery]") {
  Counted c = killSupervisedDriver(/*wal=*/true);
  CHECK(c.lost == 0);
  CHECK(c.duplicated == 0);
}

TEST_CASE(
    "cluster mode: a supervised driver SIGKILLed after a batch saved its output re-runs that "
    "batch, exactly once",
    "[integration][recovery]") {
  Counted c = killSupervisedDriver(/*wal=*/true, /*hold=*/true);
  CHECK(c.lost == 0);
  CHECK(c.duplicated == 0);
}

TEST_CASE("cluster mode: without the WAL a SIGKILLed supervised driver loses records",
          "[integration][recovery]") {
  // The tests above can fail: the same kill without the WAL loses what the dead driver had
  // acknowledged but not yet processed.
  Counted c = killSupervisedDriver(/*wal=*/false);
  CHECK(c.lost > 0);
}
