// auth.enabled across real processes (issue 16): a master, workers, drivers and executors on
// 127.0.0.x with the secret in a file. Workers without it or with another one never
// register; a submit without it is refused with a clear message; a client without it can
// neither fetch a block from an executor nor send it a task; with it everywhere, word count
// and a streaming app with a receiver run as before, in client and cluster mode, and the
// secret appears on no command line and in no log.
#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "common/serialize.h"
#include "rpc/curve_keys.h"
#include "rpc/frame.h"
#include "tests/integration/hostile_peer.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"
#include "tests/integration/word_count_output.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kMasterHost = "127.0.0.2";
const std::string kSecret = "integration-secret-0123456789abcdef";

// The cluster's secret in a file, and the --conf pairs that turn auth on with it.
struct Secret {
  explicit Secret(const TempDir& tmp, const std::string& name = "secret", const std::string& value = kSecret)
      : path(tmp / name) {
    std::ofstream(path) << value << "\n";
  }
  std::vector<std::string> conf() const { return {"--conf", "auth.enabled=true", "--conf", "auth.secretFile=" + path}; }
  std::string path;
};

// The master's /json, asked with the operator's credentials (with auth.enabled the web UIs
// ask for them; without, they are ignored).
std::optional<json> masterState(const LocalStandaloneCluster& d) {
  httplib::Client client(kMasterHost, d.webPort());
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(2, 0);
  client.set_basic_auth("sluice", kSecret);
  auto res = client.Get("/json");
  if (!res || res->status != 200) return std::nullopt;
  return json::parse(res->body, nullptr, false);
}

std::vector<std::string> aliveWorkerIds(const LocalStandaloneCluster& d) {
  std::vector<std::string> ids;
  if (auto j = masterState(d)) {
    for (const auto& w : (*j)["workers"]) {
      if (w["state"] == "ALIVE") ids.push_back(w["id"]);
    }
  }
  return ids;
}

void startAuthCluster(LocalStandaloneCluster& d, const Secret& secret, int workers = 1) {
  d.startMaster(secret.conf());
  for (int i = 1; i <= workers; ++i) {
    d.startWorker("worker-" + std::to_string(i), "127.0.0." + std::to_string(2 + i), 2, "2g", secret.conf());
  }
  REQUIRE(waitFor([&] { return aliveWorkerIds(d).size() == static_cast<size_t>(workers); }, 30s));
}

// A word count input of `lines` lines of "w<i % 10>" words; returns its expected counts.
WordCounts writeInput(const std::string& path, int lines) {
  std::ofstream out(path);
  WordCounts expected;
  for (int i = 0; i < lines; ++i) {
    std::string word = "w" + std::to_string(i % 10);
    out << word << " common\n";
    ++expected[word];
    ++expected["common"];
  }
  return expected;
}

// The sum of the counts in every batch directory <prefix>-<time>/ under dir.
int64_t streamedWords(const std::string& dir, const std::string& prefix) {
  int64_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename();
    if (name.rfind(prefix + "-", 0) != 0 || !std::filesystem::exists(entry.path() / "_SUCCESS")) continue;
    for (const auto& [word, n] : readWordCounts(entry.path())) total += n;
  }
  return total;
}

// Sends frame from a fresh DEALER (CURVE with keys when given) and waits up to 3 s for any
// answer: true if one came.
bool answered(const std::string& endpoint, const std::string& frame, const rpc::CurveKeys* keys) {
  zmq::context_t ctx;
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.set(zmq::sockopt::rcvtimeo, 3000);
  if (keys != nullptr) {
    dealer.set(zmq::sockopt::curve_serverkey, zmq::buffer(keys->public_key));
    dealer.set(zmq::sockopt::curve_publickey, zmq::buffer(keys->public_key));
    dealer.set(zmq::sockopt::curve_secretkey, zmq::buffer(keys->secret_key));
  }
  dealer.connect(endpoint);
  dealer.send(zmq::buffer(frame), zmq::send_flags::dontwait);
  zmq::message_t reply;
  return dealer.recv(reply, zmq::recv_flags::none).has_value();
}

// Every file under dir but the secret's own, concatenated.
std::string allLogs(const std::string& dir, const Secret& secret) {
  std::string all;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path() != secret.path && it->file_size() < (64 << 20) &&
        it->path().extension() != ".so") {
      all += readFile(it->path());
    }
  }
  return all;
}

// The command line of pid and of every process below it.
std::string commandLines(pid_t pid) {
  std::string all = readFile("/proc/" + std::to_string(pid) + "/cmdline") + "\n";
  for (pid_t child : childrenOf(pid)) all += commandLines(child);
  return all;
}

}  // namespace

TEST_CASE("auth: a worker without the secret or with another one never registers, one with it does",
          "[integration][auth]") {
  LocalStandaloneCluster d("auth-workers", kMasterHost);
  Secret secret(d.tmp());
  Secret wrong(d.tmp(), "wrong", "another-secret-0123456789abcdefgh");
  startAuthCluster(d, secret);
  d.startWorker("no-secret", "127.0.0.4", 1, "1g");
  d.startWorker("wrong-secret", "127.0.0.5", 1, "1g", wrong.conf());
  // Each has tried and been refused several times (a retry a second) ...
  REQUIRE(waitFor([&] {
    return countOf(d.worker("no-secret").err(), "not registered yet") >= 3 &&
           countOf(d.worker("wrong-secret").err(), "not registered yet") >= 3;
  }, 30s));
  // ... and the master never showed them.
  CHECK(aliveWorkerIds(d) == std::vector<std::string>{"worker-1"});
  auto j = masterState(d);
  REQUIRE(j.has_value());
  CHECK((*j)["workers"].size() == 1);
  // Each side says why, in one line the user can act on.
  CHECK(countOf(d.worker("wrong-secret").err(), "different auth secret") >= 1);
  CHECK(countOf(d.worker("no-secret").err(), "auth.enabled") >= 1);
  CHECK(countOf(d.master().err(), "refused a connection to " + d.masterEndpoint()) >= 1);
}

TEST_CASE("auth: a submit without the secret is refused with a clear message, in client and cluster mode",
          "[integration][auth]") {
  LocalStandaloneCluster d("auth-submit", kMasterHost);
  Secret secret(d.tmp());
  startAuthCluster(d, secret);
  writeInput(d.tmp() / "in.txt", 100);
  for (std::string mode : {"client", "cluster"}) {
    auto submit = d.submit({"--deploy-mode", mode, "--conf", "ui.enabled=false", libDir() + "/libword_count.so",
                            d.tmp() / "in.txt", d.tmp() / ("out-" + mode)},
                           "submit-" + mode);
    auto exit = submit->wait(60s);
    REQUIRE(exit.has_value());
    INFO(mode << ": " << submit->err());
    CHECK(exit->exit_code != 0);
    CHECK(countOf(submit->err(), "auth.enabled") >= 1);
    CHECK(!std::filesystem::exists(d.tmp() / ("out-" + mode)));
  }
  auto j = masterState(d);
  REQUIRE(j.has_value());
  CHECK((*j)["activeapps"].empty());
  CHECK((*j)["completedapps"].empty());
  CHECK((*j)["activedrivers"].empty());
}

TEST_CASE("auth: with the secret everywhere, word count runs in client and cluster mode, and no command line or log shows it",
          "[integration][auth]") {
  LocalStandaloneCluster d("auth-wordcount", kMasterHost);
  Secret secret(d.tmp());
  startAuthCluster(d, secret, 2);
  WordCounts expected = writeInput(d.tmp() / "in.txt", 5000);
  std::string cmdlines;
  for (std::string mode : {"client", "cluster"}) {
    std::vector<std::string> args = {"--deploy-mode", mode, "--conf", "ui.enabled=false"};
    for (const std::string& a : secret.conf()) args.push_back(a);
    for (const std::string& a : {libDir() + "/libword_count.so", std::string(d.tmp() / "in.txt"),
                                 std::string(d.tmp() / ("out-" + mode))}) {
      args.push_back(a);
    }
    auto submit = d.submit(args, "submit-" + mode);
    // While it runs, the command lines of every process of the cluster.
    waitFor([&] {
      cmdlines += commandLines(d.worker("worker-1").pid()) + commandLines(d.worker("worker-2").pid());
      return submit->wait(0ms).has_value();
    }, 120s);
    auto exit = submit->wait(1s);
    REQUIRE(exit.has_value());
    INFO(mode << ": " << submit->err());
    REQUIRE(exit->exit_code == 0);
    if (mode == "cluster") {
      // Cluster mode: the submit returns once the driver is launched; wait for its output.
      REQUIRE(waitFor([&] { return std::filesystem::exists(d.tmp() / "out-cluster/_SUCCESS"); }, 120s));
    }
    CHECK(readWordCounts(d.tmp() / ("out-" + mode)) == expected);
  }
  CHECK(countOf(cmdlines, "sluice-executor") >= 1);  // the executors were seen
  CHECK(cmdlines.find(kSecret) == std::string::npos);
  CHECK(allLogs(d.tmp().path(), secret).find(kSecret) == std::string::npos);
}

TEST_CASE("auth: a streaming app with a receiver runs in client and cluster mode, and its executor answers no client without the secret",
          "[integration][auth]") {
  LocalStandaloneCluster d("auth-streaming", kMasterHost);
  Secret secret(d.tmp());
  startAuthCluster(d, secret, 2);  // cluster mode: a driver's core, and the receiver's and a task's
  for (std::string mode : {"client", "cluster"}) {
    TempDir gen_dir("auth-gen-" + mode);  // a log of its own: the first generator's must not be read
    TextGenerator gen(gen_dir, 2000, 6000);
    std::vector<std::string> args = {"--deploy-mode", mode, "--total-executor-cores", "2", "--conf", "ui.enabled=false"};
    for (const std::string& a : secret.conf()) args.push_back(a);
    for (const std::string& a : {libDir() + "/libnetwork_word_count.so", std::string("127.0.0.1"),
                                 std::to_string(gen.port), std::string("500"), std::string("12"),
                                 std::string(d.tmp() / ("counts-" + mode))}) {
      args.push_back(a);
    }
    auto submit = d.submit(args, "submit-" + mode);
    if (mode == "client") {
      // While it runs: its executor answers no one without the secret.
      std::string executor_log;
      REQUIRE(waitFor([&] { return !(executor_log = hostile::findExecutorLog(d.tmp().path())).empty(); }, 60s));
      std::string endpoint = firstCapture(readFile(executor_log), R"(blocks at (tcp://[0-9.]+:\d+))");
      REQUIRE(!endpoint.empty());
      std::string fetch = rpc::encodeFrame(rpc::MessageTag::kFetchBlocks, toBytes(int32_t{0}, int32_t{0}), 11);
      std::string task = rpc::encodeFrame(rpc::MessageTag::kLaunchTask, "", 12);
      auto other = rpc::curveKeysFor("another-secret-0123456789abcdefgh");
      REQUIRE(other.isOk());
      CHECK(!answered(endpoint, fetch, nullptr));
      CHECK(!answered(endpoint, fetch, other->get()));
      CHECK(!answered(endpoint, task, nullptr));
      CHECK(!answered(endpoint, task, other->get()));
      CHECK(waitFor([&] { return countOf(readFile(executor_log), "refused a connection to " + endpoint) >= 2; }, 10s));
      CHECK(countOf(readFile(executor_log), "kLaunchTask") == 0);  // never reached the executor's handler
    }
    INFO(mode << " mode");
    int64_t sent = gen.sentWords();
    auto exit = submit->wait(120s);
    REQUIRE(exit.has_value());
    INFO(mode << ": " << submit->err());
    REQUIRE(exit->exit_code == 0);
    if (mode == "cluster") {
      REQUIRE(waitFor([&] { return streamedWords(d.tmp().path(), "counts-cluster") == sent; }, 60s));
    }
    CHECK(streamedWords(d.tmp().path(), "counts-" + mode) == sent);
  }
}
