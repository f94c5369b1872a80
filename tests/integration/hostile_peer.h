// Helpers for the tests of hostile input on the daemons' ports (hostile_frames_test.cc,
// bounded_input_test.cc): a master on 127.0.0.2 and worker-1 on 127.0.0.3, memory figures
// from /proc, frames sent from a bare ZeroMQ DEALER, and a ZeroMQ round trip to check that a
// daemon still serves.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "rpc/frame.h"
#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"

namespace sluice::testing::hostile {

inline const std::string kMasterHost = "127.0.0.2";
inline const std::string kWorkerHost = "127.0.0.3";
inline const std::string kWorker = "worker-1";

// A field of /proc/<pid>/status in kB ("VmHWM", "VmRSS"), or -1.
inline int64_t procStatusKb(pid_t pid, const std::string& field) {
  std::istringstream in(readFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return -1;
}

// Whether the master's /json shows worker-1 ALIVE.
inline bool workerAlive(const LocalStandaloneCluster& d) {
  auto j = d.state();
  if (!j) return false;
  const nlohmann::json* w = findById((*j)["workers"], kWorker);
  return w != nullptr && (*w)["state"] == "ALIVE";
}

// Sends frame as one message from a fresh DEALER, without copying it (a frame may be
// hundreds of megabytes), on one connection: a DEALER refused by the daemon does not
// connect again. frame must stay alive until this returns.
inline void sendFrame(const std::string& endpoint, const std::string& frame) {
  zmq::context_t ctx;
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 2000);
  dealer.set(zmq::sockopt::reconnect_ivl, -1);
  dealer.connect(endpoint);
  zmq::message_t msg(const_cast<char*>(frame.data()), frame.size(), nullptr, nullptr);
  dealer.send(msg, zmq::send_flags::none);
  dealer.close();  // linger: delivered first (or refused by the peer)
}

// A request from a fresh DEALER and its answer's envelope (REQUIREd within 20 s).
inline rpc::Envelope roundTrip(const std::string& endpoint, const std::string& request) {
  zmq::context_t ctx;
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.set(zmq::sockopt::rcvtimeo, 20000);
  dealer.connect(endpoint);
  dealer.send(zmq::buffer(request), zmq::send_flags::none);
  zmq::message_t answer;
  REQUIRE(dealer.recv(answer, zmq::recv_flags::none));
  auto env = rpc::decodeFrame(answer.data(), answer.size());
  REQUIRE(env.isOk());
  return std::move(*env);
}

// A master on 127.0.0.2 (worker.timeout 3 s) and worker-1 on 127.0.0.3, ALIVE; extra
// arguments for both daemons (e.g. {"--conf", "rpc.maxFrameBytes=16m"}).
inline void startDaemons(LocalStandaloneCluster& d, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> master_args{"--conf", "worker.timeout=3s"};
  master_args.insert(master_args.end(), extra.begin(), extra.end());
  d.startMaster(master_args);
  d.startWorker(kWorker, kWorkerHost, 2, "2g", extra);
  REQUIRE(waitFor([&] { return workerAlive(d); }, std::chrono::seconds(20)));
}

// The stderr log of an executor under work_dir (a worker's, or any dir above) that says where its blocks are.
inline std::string findExecutorLog(const std::string& work_dir) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(work_dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename() != "stderr") continue;
    if (readFile(it->path()).find("blocks at tcp://") != std::string::npos) return it->path();
  }
  return "";
}

// The worker stays ALIVE in the master's /json, polled over longer than worker.timeout (3 s).
inline void requireWorkerStaysAlive(const LocalStandaloneCluster& d) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(workerAlive(d));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// A client-mode network_word_count reading gen_port, and its one executor on worker-1.
struct RunningExecutor {
  std::unique_ptr<Child> app;
  std::string log;       // the executor's stderr
  std::string endpoint;  // its block server
  std::vector<pid_t> pids;
};
inline RunningExecutor startStreamingApp(LocalStandaloneCluster& d, int gen_port) {
  RunningExecutor e;
  e.app = d.submit({"--deploy-mode", "client", "--total-executor-cores", "2", "--executor-cores", "2", "--conf",
                    "ui.port=0", libDir() + "/libnetwork_word_count.so", "127.0.0.1", std::to_string(gen_port), "500"},
                   "app");
  REQUIRE(waitFor([&] { return !(e.log = findExecutorLog(d.workDir(kWorker))).empty(); }, std::chrono::seconds(60)));
  e.endpoint = firstCapture(readFile(e.log), R"(blocks at (tcp://[0-9.]+:\d+))");
  REQUIRE(!e.endpoint.empty());
  e.pids = descendantsNamed(d.worker(kWorker).pid(), "sluice-executor");
  REQUIRE(e.pids.size() == 1);
  return e;
}

}  // namespace sluice::testing::hostile
