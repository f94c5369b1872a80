// The standalone cluster as a user runs it (issue 3): a real sluice-master and two real
// sluice-workers on 127.0.0.2 and 127.0.0.3, word_count submitted with sluice-submit in
// client and cluster mode, checked on the master's GET /json (Spark's field names) and on
// the job's output against counts computed here. Also: a worker SIGKILLed mid-job, a
// master SIGKILLed and restarted from its recovery dir, malformed frames on the daemons'
// ports, and a supervised cluster-mode driver with --status and --kill.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <zmq.hpp>

#include <nlohmann/json.hpp>
#include <random>
#include <regex>

#include "rpc/frame.h"
#include "rpc/master_messages.h"
#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/word_count_output.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

using Counts = WordCounts;
using Clock = std::chrono::steady_clock;

const std::string kMasterHost = "127.0.0.2";
const std::string kHostA = "127.0.0.2";
const std::string kHostB = "127.0.0.3";

// Lines of 1..12 words from a 5,000-word vocabulary, about `bytes` long; returns the
// counts the job must produce.
Counts writeInput(const std::string& path, size_t bytes, uint64_t seed) {
  constexpr int kVocabulary = 5000;
  std::mt19937_64 rng(seed);
  std::vector<int64_t> by_word(kVocabulary);
  std::ofstream out(path, std::ios::binary);
  std::string buf;
  size_t written = 0;
  while (written < bytes) {
    buf.clear();
    for (int line = 0; line < 1000; ++line) {
      int words = 1 + static_cast<int>(rng() % 12);
      for (int w = 0; w < words; ++w) {
        auto word = rng() % kVocabulary;
        ++by_word[word];
        if (w) buf += ' ';
        buf += 'w';
        buf += std::to_string(word);
      }
      buf += '\n';
    }
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    written += buf.size();
  }
  Counts counts;
  for (int w = 0; w < kVocabulary; ++w) {
    if (by_word[w] > 0) counts["w" + std::to_string(w)] = by_word[w];
  }
  return counts;
}

// A master on 127.0.0.2 with a recovery dir and worker.timeout, and workers worker-a on
// 127.0.0.2 and worker-b on 127.0.0.3 (2 cores, 4 GB each), both ALIVE.
void startAll(LocalStandaloneCluster& cluster, const std::string& worker_timeout = "2s",
              const std::vector<std::string>& master_conf = {}) {
  std::vector<std::string> args{"--recovery-dir", cluster.tmp() / "recovery", "--conf",
                                "worker.timeout=" + worker_timeout};
  for (const auto& kv : master_conf) args.insert(args.end(), {"--conf", kv});
  cluster.startMaster(args);
  cluster.startWorker("worker-a", kHostA, 2, "4g");
  cluster.startWorker("worker-b", kHostB, 2, "4g");
  REQUIRE(cluster.waitAliveWorkers(2, 10s));
}

// The id of the one active application, once it holds both workers' cores.
std::string waitAppOnBothCores(const LocalStandaloneCluster& cluster) {
  std::string app_id;
  REQUIRE(cluster.waitJson(
      [&](const json& s) {
        if (s["coresused"] != 2 || s["activeapps"].size() != 1) return false;
        app_id = s["activeapps"][0]["id"];
        return true;
      },
      30s));
  return app_id;
}

std::string wordCountLib() { return libDir() + "/libword_count.so"; }

std::vector<std::string> clientModeArgs(const std::string& input, const std::string& out,
                                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--deploy-mode", "client", "--total-executor-cores", "2", "--executor-cores", "1",
                                "--name", "word_count"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {wordCountLib(), input, out});
  return args;
}

// Sends each frame as one message from a fresh DEALER to endpoint, then one message of
// two parts.
void sendRaw(const std::string& endpoint, const std::vector<std::string>& frames) {
  zmq::context_t ctx;
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 2000);
  dealer.connect(endpoint);
  for (const auto& f : frames) dealer.send(zmq::buffer(f), zmq::send_flags::none);
  std::string ping = rpc::encodeFrame(rpc::MessageTag::kPing, "");
  dealer.send(zmq::buffer(ping), zmq::send_flags::sndmore);
  dealer.send(zmq::buffer(ping), zmq::send_flags::none);
  dealer.close();  // linger: the frames are delivered first
}

std::vector<std::string> malformedFrames() {
  std::mt19937 rng(42);
  std::string random(64, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  random[0] = 'x';  // never the magic by chance
  rpc::RegisterWorker reg;
  reg.worker_id = "intruder";
  std::string truncated = rpc::encode(reg);
  truncated.resize(truncated.size() - 3);
  std::string unknown_tag = rpc::encodeFrame(rpc::MessageTag::kRegisterWorker, "");
  unknown_tag[4] = static_cast<char>(0xE7);  // tag 999
  unknown_tag[5] = static_cast<char>(0x03);
  // A known tag whose payload does not decode as its message.
  std::string bad_payload = rpc::encodeFrame(rpc::MessageTag::kLaunchExecutor, std::string(7, '\xff'));
  return {random, truncated, unknown_tag, bad_payload};
}

}  // namespace

TEST_CASE("standalone: word_count in client and cluster mode on workers at 127.0.0.2 and 127.0.0.3",
          "[integration][standalone]") {
  LocalStandaloneCluster cluster("sa-modes");
  startAll(cluster);
  Counts want = writeInput(cluster.tmp() / "input.txt", 4 << 20, 1);

  json j = cluster.requireState();
  CHECK(j["url"] == cluster.url());
  CHECK(j["status"] == "ALIVE");
  CHECK(j["aliveworkers"] == 2);
  CHECK(j["cores"] == 4);
  CHECK(j["coresused"] == 0);
  REQUIRE(j["workers"].size() == 2);
  const json* a = findById(j["workers"], "worker-a");
  const json* b = findById(j["workers"], "worker-b");
  REQUIRE(a);
  REQUIRE(b);
  CHECK((*a)["host"] == kHostA);
  CHECK((*b)["host"] == kHostB);
  for (const json* w : {a, b}) {
    CHECK((*w)["state"] == "ALIVE");
    CHECK((*w)["cores"] == 2);
    CHECK((*w)["coresused"] == 0);
    CHECK((*w)["memory"] == 4096);
    CHECK((*w)["memoryused"] == 0);
    CHECK((*w)["lastheartbeat"].get<int64_t>() > 0);
  }
  CHECK(j["activeapps"].empty());
  CHECK(j["completedapps"].empty());
  CHECK(j["activedrivers"].empty());

  SECTION("client mode: the app is RUNNING with executors on both workers, then FINISHED") {
    auto submit = cluster.submit(clientModeArgs(cluster.tmp() / "input.txt", cluster.tmp() / "out"), "client");
    std::string app_id;
    bool saw_running = false;
    bool saw_spread = false;
    auto deadline = Clock::now() + 60s;
    while (Clock::now() < deadline && !submit->wait(0ms)) {
      if (auto s = cluster.state()) {
        for (const auto& app : (*s)["activeapps"]) {
          if (app["name"] != "word_count") continue;
          app_id = app["id"];
          saw_running |= app["state"] == "RUNNING";
          const json* wa = findById((*s)["workers"], "worker-a");
          const json* wb = findById((*s)["workers"], "worker-b");
          saw_spread |= wa && wb && (*wa)["coresused"] == 1 && (*wb)["coresused"] == 1 && (*s)["coresused"] == 2;
        }
      }
      std::this_thread::sleep_for(20ms);
    }
    requireExitCode(*submit, 0, 1s);
    CHECK(saw_running);
    CHECK(saw_spread);  // spreadOut: one 1-core executor on each worker
    REQUIRE(!app_id.empty());
    REQUIRE(cluster.waitJson([&](const json& s) { return findById(s["completedapps"], app_id) != nullptr; }, 10s));
    json done = cluster.requireState();
    CHECK((*findById(done["completedapps"], app_id))["state"] == "FINISHED");
    CHECK(findById(done["activeapps"], app_id) == nullptr);
    CHECK(done["coresused"] == 0);
    CHECK(readWordCounts(cluster.tmp() / "out") == want);
  }

  SECTION("cluster mode: a worker runs the driver, which finishes with the right counts") {
    auto submit = cluster.submit({"--deploy-mode", "cluster", "--total-executor-cores", "2", "--executor-cores", "1",
                                  "--conf", "driver.memory=512m", wordCountLib(), cluster.tmp() / "input.txt",
                                  cluster.tmp() / "out"},
                                 "cluster-submit");
    std::string driver_id = submittedDriverId(*submit);
    bool saw_active = false;
    bool saw_app_running = false;
    REQUIRE(cluster.waitJson(
        [&](const json& s) {
          if (const json* d = findById(s["activedrivers"], driver_id)) {
            saw_active = true;
            if (d->value("worker", "") != "worker-a" && d->value("worker", "") != "worker-b") return false;
          }
          for (const auto& app : s["activeapps"]) saw_app_running |= app["state"] == "RUNNING";
          const json* d = findById(s["completeddrivers"], driver_id);
          return d && (*d)["state"] != "RUNNING";
        },
        60s));
    json done = cluster.requireState();
    const json* d = findById(done["completeddrivers"], driver_id);
    INFO(done.dump(2));
    CHECK((*d)["state"] == "FINISHED");
    CHECK(saw_active);
    CHECK(saw_app_running);
    REQUIRE(done["completedapps"].size() == 1);
    CHECK(done["completedapps"][0]["state"] == "FINISHED");
    CHECK(done["coresused"] == 0);
    CHECK(readWordCounts(cluster.tmp() / "out") == want);
  }
}

TEST_CASE("standalone: a worker SIGKILLed mid-job is marked DEAD and its executor moves to the other worker",
          "[integration][standalone]") {
  const auto timeout = 2000ms;
  LocalStandaloneCluster cluster("sa-worker-kill");
  startAll(cluster, "2000ms");
  Counts want = writeInput(cluster.tmp() / "input.txt", 48 << 20, 2);
  auto submit = cluster.submit(clientModeArgs(cluster.tmp() / "input.txt", cluster.tmp() / "out",
                                              {"--conf", "default.parallelism=12", "--log-level", "debug"}),
                               "client");
  // Mid-job: both executors run and at least one task has finished.
  REQUIRE(cluster.waitJson(
      [&](const json& s) {
        const json* b = findById(s["workers"], "worker-b");
        return b && (*b)["coresused"] == 1 && s["coresused"] == 2;
      },
      30s));
  // "finished task" lines are debug (--log-level debug above).
  REQUIRE(waitFor([&] { return submit->err().find("finished task") != std::string::npos; }, 60s));
  REQUIRE(!submit->wait(0ms));
  const auto killed_at = Clock::now();
  cluster.worker("worker-b").kill(SIGKILL);

  REQUIRE(cluster.waitJson(
      [&](const json& s) {
        const json* b = findById(s["workers"], "worker-b");
        return b && (*b)["state"] == "DEAD";
      },
      timeout + 3s));
  const auto dead_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at).count();
  // worker.timeout after the last heartbeat, found by a ticker running every timeout / 4;
  // plus the polling.
  CHECK(dead_ms <= (timeout + 1000ms).count());
  json s = cluster.requireState();
  CHECK(s["aliveworkers"] == 1);
  CHECK((*findById(s["workers"], "worker-b"))["coresused"] == 0);

  requireExitCode(*submit, 0, 90s);
  CHECK(readWordCounts(cluster.tmp() / "out") == want);
  // The lost executor was relaunched on worker-a: two executor dirs there for the app.
  std::string log = submit->err();
  INFO(log);
  size_t dirs = 0;
  for (const auto& app_dir : std::filesystem::directory_iterator(cluster.workDir("worker-a"))) {
    if (app_dir.path().filename().string().rfind("app-", 0) != 0) continue;
    for (const auto& e : std::filesystem::directory_iterator(app_dir)) dirs += e.is_directory();
  }
  CHECK(dirs == 2);
  std::string master_log = cluster.master().err();
  CHECK_THAT(master_log, Catch::Contains("worker worker-b on 127.0.0.3 is DEAD"));
  CHECK_THAT(master_log, Catch::Matches(R"([\s\S]*launching executor app-\S+/2 on worker worker-a[\s\S]*)"));
  REQUIRE(cluster.waitJson([&](const json& s) { return s["completedapps"].size() == 1; }, 10s));
  CHECK(cluster.requireState()["completedapps"][0]["state"] == "FINISHED");
}

TEST_CASE("standalone: a master SIGKILLed mid-job and restarted with its recovery dir is rejoined by both workers",
          "[integration][standalone]") {
  LocalStandaloneCluster cluster("sa-master-restart");
  startAll(cluster);
  Counts want = writeInput(cluster.tmp() / "input.txt", 48 << 20, 3);
  auto submit = cluster.submit(clientModeArgs(cluster.tmp() / "input.txt", cluster.tmp() / "out",
                                              {"--conf", "default.parallelism=12", "--log-level", "debug"}),
                               "client");
  const std::string app_id = waitAppOnBothCores(cluster);
  // "finished task" lines are debug (--log-level debug above).
  REQUIRE(waitFor([&] { return submit->err().find("finished task") != std::string::npos; }, 60s));

  cluster.killMaster();
  CHECK(!cluster.state().has_value());
  cluster.restartMaster();
  REQUIRE(cluster.waitJson(
      [&](const json& s) {
        const json* a = findById(s["workers"], "worker-a");
        const json* b = findById(s["workers"], "worker-b");
        return s["aliveworkers"] == 2 && a && b && (*a)["state"] == "ALIVE" && (*b)["state"] == "ALIVE";
      },
      15s));
  std::string log = cluster.master().err();
  INFO(log);
  CHECK_THAT(log, Catch::Contains("recovering from"));
  CHECK_THAT(log, Catch::Contains("registered worker worker-a on 127.0.0.2 (2 cores, 4096 MB) after master restart"));
  CHECK_THAT(log, Catch::Contains("registered worker worker-b on 127.0.0.3 (2 cores, 4096 MB) after master restart"));
  json s = cluster.requireState();
  CHECK(s["cores"] == 4);
  CHECK((*findById(s["workers"], "worker-a"))["host"] == kHostA);
  CHECK((*findById(s["workers"], "worker-b"))["host"] == kHostB);

  // The job goes on; its application re-registers and ends FINISHED on the new master.
  requireExitCode(*submit, 0, 90s);
  CHECK(readWordCounts(cluster.tmp() / "out") == want);
  REQUIRE(cluster.waitJson([&](const json& s) { return findById(s["completedapps"], app_id) != nullptr; }, 10s));
  CHECK((*findById(cluster.requireState()["completedapps"], app_id))["state"] == "FINISHED");
  CHECK_THAT(log, Catch::Contains("recovered executor " + app_id + "/"));

  // The rejoined cluster runs a new job on both workers.
  Counts small = writeInput(cluster.tmp() / "small.txt", 1 << 20, 4);
  auto again = cluster.submit(clientModeArgs(cluster.tmp() / "small.txt", cluster.tmp() / "out2"), "client2");
  requireExitCode(*again, 0, 60s);
  CHECK(readWordCounts(cluster.tmp() / "out2") == small);
  // One executor on each worker (spreadOut).
  std::smatch m;
  std::string driver_log = again->err();
  REQUIRE(std::regex_search(driver_log, m, std::regex(R"(registered application (app-\S+))")));
  CHECK(std::filesystem::exists(cluster.workDir("worker-a") + "/" + m[1].str()));
  CHECK(std::filesystem::exists(cluster.workDir("worker-b") + "/" + m[1].str()));
}

TEST_CASE("standalone: malformed frames to the master and a worker are logged, dropped, and serving goes on",
          "[integration][standalone]") {
  LocalStandaloneCluster cluster("sa-bad-frames");
  startAll(cluster);
  const auto frames = malformedFrames();
  sendRaw(cluster.masterEndpoint(), frames);
  sendRaw(cluster.workerEndpoint("worker-b"), frames);

  const std::string dropped = "dropped malformed frame from";
  REQUIRE(waitFor([&] { return countOf(cluster.master().err(), dropped) >= 4; }, 5s));
  REQUIRE(waitFor([&] { return countOf(cluster.worker("worker-b").err(), dropped) >= 4; }, 5s));
  for (Child* daemon : {&cluster.master(), &cluster.worker("worker-b")}) {
    std::string log = daemon->err();
    INFO(log);
    // The worker also reports its undecodable kLaunchExecutor this way (below).
    CHECK(countOf(log, dropped) == (daemon == &cluster.master() ? 4 : 5));
    CHECK(countOf(log, "bad frame magic") == 1);
    CHECK(countOf(log, "truncated frame") == 1);
    CHECK(countOf(log, "unknown message tag 999") == 1);
    CHECK(countOf(log, "expected 1 message part, got 2") == 1);
    CHECK(!daemon->wait(0ms));
  }
  // The undecodable kLaunchExecutor: one line each, and nothing launched.
  CHECK(countOf(cluster.master().err(), "unexpected message kLaunchExecutor") == 1);
  CHECK(countOf(cluster.worker("worker-b").err(), "worker worker-b: bad kLaunchExecutor payload") == 1);
  CHECK((!std::filesystem::exists(cluster.workDir("worker-b")) || std::filesystem::is_empty(cluster.workDir("worker-b"))));

  // A worker with the id of an alive one is refused with one clear line and exits 1.
  Child dup({binDir() + "/sluice-worker", cluster.url(), "--host", kHostB, "--webui-port", "-1", "--work-dir",
             cluster.tmp() / "work-dup", "--worker-id", "worker-a"},
            cluster.tmp() / "dup");
  auto dup_exit = dup.wait(10s);
  REQUIRE(dup_exit.has_value());
  CHECK(dup_exit->exit_code == 1);
  CHECK_THAT(dup.err(), Catch::Contains("refused worker worker-a: duplicate worker id worker-a"));

  // Both still serve: /json, the workers' registrations, and a job.
  json s = cluster.requireState();
  CHECK(s["aliveworkers"] == 2);
  auto worker_json = getJson(kHostB, cluster.workerWebPort("worker-b"));
  REQUIRE(worker_json.has_value());
  CHECK((*worker_json)["id"] == "worker-b");
  Counts want = writeInput(cluster.tmp() / "input.txt", 1 << 20, 4);
  auto submit = cluster.submit(clientModeArgs(cluster.tmp() / "input.txt", cluster.tmp() / "out"), "client");
  requireExitCode(*submit, 0, 60s);
  CHECK(readWordCounts(cluster.tmp() / "out") == want);
}

TEST_CASE("standalone: a supervised cluster-mode driver that fails is restarted, and --status and --kill work",
          "[integration][standalone]") {
  LocalStandaloneCluster cluster("sa-supervise");
  startAll(cluster);

  SECTION("a driver exiting non-zero is relaunched until killed") {
    // word_count without arguments prints its usage and exits 2.
    auto submit = cluster.submit({"--deploy-mode", "cluster", "--supervise", "--total-executor-cores", "1",
                                  "--conf", "driver.memory=512m", wordCountLib()},
                                 "cluster-submit");
    std::string driver_id = submittedDriverId(*submit);

    // Each run registers an application that ends FAILED; the driver stays active.
    REQUIRE(cluster.waitJson([&](const json& s) { return s["completedapps"].size() >= 2; }, 40s));
    json s = cluster.requireState();
    for (const auto& app : s["completedapps"]) CHECK(app["state"] == "FAILED");
    REQUIRE(findById(s["activedrivers"], driver_id) != nullptr);
    CHECK(countOf(cluster.master().err(), "relaunching supervised driver " + driver_id) >= 1);

    auto status = cluster.submit({"--status", driver_id}, "status");
    requireExitCode(*status, 0, 20s);
    CHECK_THAT(status->out(), Catch::Matches("driver " + driver_id + " is (RUNNING|RELAUNCHING|SUBMITTED)[\\s\\S]*"));

    auto kill = cluster.submit({"--kill", driver_id}, "kill");
    requireExitCode(*kill, 0, 20s);
    CHECK_THAT(kill->out(), Catch::Contains("killed driver " + driver_id));
    REQUIRE(cluster.waitJson([&](const json& s) { return findById(s["completeddrivers"], driver_id) != nullptr; }, 10s));
    s = cluster.requireState();
    // A run that failed just before the kill reached its worker ends FAILED (as in Spark).
    CHECK_THAT((*findById(s["completeddrivers"], driver_id))["state"].get<std::string>(),
               Catch::Matches("KILLED|FAILED"));
    CHECK(s["activedrivers"].empty());
    CHECK(s["activeapps"].empty());
    CHECK(s["coresused"] == 0);

    auto after = cluster.submit({"--status", driver_id}, "status-after");
    requireExitCode(*after, 0, 20s);
    CHECK_THAT(after->out(), Catch::Matches("driver " + driver_id + " is (KILLED|FAILED)[\\s\\S]*"));
  }

  SECTION("killing a running driver ends it and its application") {
    // No worker has 100 GB: the driver waits for an executor (up to a minute) with its
    // application WAITING.
    auto submit = cluster.submit({"--deploy-mode", "cluster", "--supervise", "--executor-memory", "100g", "--conf",
                                  "driver.memory=512m", wordCountLib(), cluster.tmp() / "none", cluster.tmp() / "out"},
                                 "cluster-submit");
    std::string driver_id = submittedDriverId(*submit);
    std::string worker_id;
    REQUIRE(cluster.waitJson(
        [&](const json& s) {
          const json* d = findById(s["activedrivers"], driver_id);
          if (d == nullptr || (*d)["state"] != "RUNNING" || s["activeapps"].size() != 1) return false;
          worker_id = (*d)["worker"];
          return s["activeapps"][0]["state"] == "WAITING";
        },
        20s));
    json s = cluster.requireState();
    const std::string app_id = s["activeapps"][0]["id"];
    CHECK((*findById(s["workers"], worker_id))["coresused"] == 1);  // the driver's core

    auto status = cluster.submit({"--status", driver_id}, "status");
    requireExitCode(*status, 0, 20s);
    CHECK_THAT(status->out(), Catch::StartsWith("driver " + driver_id + " is RUNNING on worker " + worker_id));

    const auto kill_at = Clock::now();
    auto kill = cluster.submit({"--kill", driver_id}, "kill");
    requireExitCode(*kill, 0, 20s);
    CHECK_THAT(kill->out(), Catch::Contains("killed driver " + driver_id));
    REQUIRE(cluster.waitJson([&](const json& s) { return findById(s["completeddrivers"], driver_id) != nullptr; }, 10s));
    CHECK(Clock::now() - kill_at < 1500ms);  // SIGTERM stops it; no wait for worker.killTimeout
    s = cluster.requireState();
    CHECK((*findById(s["completeddrivers"], driver_id))["state"] == "KILLED");
    CHECK(s["activeapps"].empty());
    const json* app = findById(s["completedapps"], app_id);
    REQUIRE(app != nullptr);
    // KILLED by the master when the driver died without unregistering; FINISHED when its
    // SIGTERM hook stopped the context first (as Spark's shutdown hook does).
    CHECK_THAT((*app)["state"].get<std::string>(), Catch::Matches("KILLED|FINISHED"));
    CHECK(s["coresused"] == 0);
    CHECK(countOf(cluster.master().err(), "relaunching supervised driver") == 0);  // killed is not failed

    auto after = cluster.submit({"--status", driver_id}, "status-after");
    requireExitCode(*after, 0, 20s);
    CHECK_THAT(after->out(), Catch::StartsWith("driver " + driver_id + " is KILLED"));
  }

  SECTION("--status and --kill of an unknown driver") {
    auto status = cluster.submit({"--status", "driver-nope"}, "status-unknown");
    auto exit = status->wait(20s);
    REQUIRE(exit.has_value());
    CHECK(exit->exit_code == 1);
    CHECK_THAT(status->err(), Catch::Contains("knows no driver driver-nope"));
    auto kill = cluster.submit({"--kill", "driver-nope"}, "kill-unknown");
    exit = kill->wait(20s);
    REQUIRE(exit.has_value());
    CHECK(exit->exit_code == 1);
    CHECK_THAT(kill->out(), Catch::Contains("could not kill driver driver-nope"));
  }
}

TEST_CASE("standalone: a worker that stops heartbeating is marked DEAD and registers again when it comes back",
          "[integration][standalone]") {
  LocalStandaloneCluster cluster("sa-worker-back");
  startAll(cluster, "1500ms");
  auto worker_state = [&](const json& s) {
    const json* b = findById(s["workers"], "worker-b");
    return b ? (*b)["state"].get<std::string>() : std::string("missing");
  };
  ::kill(cluster.worker("worker-b").pid(), SIGSTOP);
  REQUIRE(cluster.waitJson([&](const json& s) { return worker_state(s) == "DEAD"; }, 5s));
  CHECK(cluster.requireState()["aliveworkers"] == 1);
  ::kill(cluster.worker("worker-b").pid(), SIGCONT);
  REQUIRE(cluster.waitJson([&](const json& s) { return worker_state(s) == "ALIVE" && s["aliveworkers"] == 2; }, 10s));
  CHECK(countOf(cluster.master().err(), "registered worker worker-b on 127.0.0.3") == 2);
  auto own = getJson(kHostB, cluster.workerWebPort("worker-b"));
  REQUIRE(own.has_value());
  CHECK((*own)["id"] == "worker-b");
}

TEST_CASE("standalone: a restarted master is RECOVERING until its workers are back, and drops one that is not",
          "[integration][standalone]") {
  LocalStandaloneCluster cluster("sa-recovering");
  startAll(cluster, "3s");
  cluster.worker("worker-b").kill(SIGKILL);
  cluster.killMaster();
  const auto restarted_at = Clock::now();
  cluster.restartMaster();

  // worker-a is back at once; the recorded worker-b is waited for.
  REQUIRE(cluster.waitJson(
      [&](const json& s) {
        const json* a = findById(s["workers"], "worker-a");
        return a && (*a)["state"] == "ALIVE";
      },
      5s));
  json s = cluster.requireState();
  if (Clock::now() - restarted_at < 2500ms) {  // well inside the recovery window
    CHECK(s["status"] == "RECOVERING");
    CHECK((*findById(s["workers"], "worker-b"))["state"] == "UNKNOWN");
  }
  // After worker.timeout it is given up on, and the master is ALIVE.
  REQUIRE(cluster.waitJson([&](const json& s) { return s["status"] == "ALIVE"; }, 6s));
  s = cluster.requireState();
  CHECK((*findById(s["workers"], "worker-b"))["state"] == "DEAD");
  CHECK(s["aliveworkers"] == 1);
  CHECK_THAT(cluster.master().err(), Catch::Contains("worker-b on 127.0.0.3 is DEAD: did not re-register after master restart"));
}

TEST_CASE("standalone: the application of a client-mode driver SIGKILLed mid-job ends and frees its executors",
          "[integration][standalone]") {
  LocalStandaloneCluster cluster("sa-driver-kill");
  startAll(cluster, "2s", {"app.timeout=3s"});
  writeInput(cluster.tmp() / "input.txt", 48 << 20, 5);
  auto submit = cluster.submit(clientModeArgs(cluster.tmp() / "input.txt", cluster.tmp() / "out",
                                              {"--conf", "default.parallelism=12"}),
                               "client");
  const std::string app_id = waitAppOnBothCores(cluster);
  submit->kill(SIGKILL);
  const auto killed_at = Clock::now();
  REQUIRE(cluster.waitJson([&](const json& s) { return findById(s["completedapps"], app_id) != nullptr; }, 8s));
  const auto gone_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at).count();
  CHECK(gone_ms <= 5000);  // app.timeout after its last re-registration (every 2 s), plus a tick
  json s = cluster.requireState();
  CHECK(s["activeapps"].empty());
  CHECK((*findById(s["completedapps"], app_id))["state"] == "FINISHED");
  CHECK(s["coresused"] == 0);
  CHECK_THAT(cluster.master().err(), Catch::Contains("application " + app_id + ": its driver has not re-registered"));
  // Its executors were killed: the workers run nothing.
  for (const std::string id : {"worker-a", "worker-b"}) {
    REQUIRE(waitFor([&] { return descendantsNamed(cluster.worker(id).pid(), "sluice-executor").empty(); }, 5s));
  }
}
