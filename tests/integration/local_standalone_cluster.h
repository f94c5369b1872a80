// A standalone cluster of real processes for the integration tests: one sluice-master and
// any number of sluice-workers on 127.0.0.x, on ports the daemons choose (port 0), with
// their logs and work dirs in a TempDir of its own.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/http_json.h"
#include "tests/integration/process_util.h"

namespace sluice::testing {

// The master and workers it started, each a Child. Every process it started is SIGKILLed
// (workers first, then the master) when it goes away; the executors and drivers the
// workers started die with them (PR_SET_PDEATHSIG). Used from one test thread. A daemon
// that does not start, or does not print where it listens within 20 s, fails the test
// (REQUIRE).
class LocalStandaloneCluster {
 public:
  // name: the TempDir's name (unique per test); master_host: where the master listens.
  explicit LocalStandaloneCluster(const std::string& name, std::string master_host = "127.0.0.2")
      : tmp_(name), master_host_(std::move(master_host)) {}
  ~LocalStandaloneCluster() {
    workers_.clear();
    master_.reset();
  }
  LocalStandaloneCluster(const LocalStandaloneCluster&) = delete;
  LocalStandaloneCluster& operator=(const LocalStandaloneCluster&) = delete;

  // Starts the master with extra arguments (e.g. {"--conf", "worker.timeout=2s"}) on port
  // and web_port (0: any free port) and waits for the line that says where it listens.
  // Its log is <tmp>/master, then master-2, ... when it is started again.
  void startMaster(std::vector<std::string> args = {}, int port = 0, int web_port = 0) {
    master_args_ = std::move(args);
    std::vector<std::string> argv = launcherOf(master_host_);
    argv.insert(argv.end(), {binDir() + "/sluice-master", "--host", master_host_, "--port", std::to_string(port),
                             "--webui-port", std::to_string(web_port)});
    argv.insert(argv.end(), master_args_.begin(), master_args_.end());
    ++master_starts_;
    const std::string log = master_starts_ == 1 ? "master" : "master-" + std::to_string(master_starts_);
    master_ = std::make_unique<Child>(argv, tmp_ / log);
    REQUIRE(master_->started());
    Child& m = *master_;
    std::string line = waitForMatch([&] { return m.out(); }, "(master listening at .*)", std::chrono::seconds(20));
    INFO(m.out() << m.err());
    REQUIRE(!line.empty());
    port_ = std::stoi(firstCapture(line, R"(sluice://[0-9.]+:(\d+))"));
    std::string web = firstCapture(line, R"(web UI at http://[0-9.]+:(\d+))");
    web_port_ = web.empty() ? 0 : std::stoi(web);
  }
  // SIGKILLs the master; the workers and what they run go on.
  void killMaster() { master_->kill(SIGKILL); }
  // Starts the master again, after killMaster, with the same arguments and ports.
  void restartMaster() { startMaster(master_args_, port_, web_port_); }

  // Starts a worker of this master on host (a 127.0.0.x address) with cores and memory
  // (e.g. "2g"; 0 and "": the worker's defaults) and extra arguments (e.g. {"--conf",
  // "worker.killTimeout=20s"}), and waits for the line that says where it listens (not for
  // its registration: see waitAliveWorkers). id is its --worker-id, its log name
  // (<tmp>/<id>) and its work dir (<tmp>/work-<id>).
  void startWorker(const std::string& id, const std::string& host, int cores, const std::string& memory,
                   const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv = launcherOf(host);
    argv.insert(argv.end(), {binDir() + "/sluice-worker", url(), "--host", host, "--port", "0", "--webui-port", "0",
                             "--work-dir", workDir(id), "--worker-id", id});
    if (cores > 0) argv.insert(argv.end(), {"--cores", std::to_string(cores)});
    if (!memory.empty()) argv.insert(argv.end(), {"--memory", memory});
    argv.insert(argv.end(), args.begin(), args.end());
    auto child = std::make_unique<Child>(argv, tmp_ / id);
    REQUIRE(child->started());
    Child& w = *child;
    std::string line = waitForMatch([&] { return w.out(); }, "(listening at .*)", std::chrono::seconds(20));
    INFO(w.out() << w.err());
    REQUIRE(!line.empty());
    worker_endpoints_[id] = "tcp://" + host + ":" + firstCapture(line, R"(tcp://[0-9.]+:(\d+))");
    worker_web_ports_[id] = std::stoi(firstCapture(line, R"(web UI at http://[0-9.]+:(\d+))"));
    workers_[id] = std::move(child);
  }
  // Daemons started on host from now on run behind the argv prefix launcher (e.g.
  // NetworkHosts::launcher(i): `ip netns exec <ns>`), there rather than here.
  void runOnHost(const std::string& host, std::vector<std::string> launcher) { launchers_[host] = std::move(launcher); }

  // Polls the master's /json until it counts n alive workers; false at the deadline.
  bool waitAliveWorkers(int n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    return waitJson([n](const json& j) { return j.value("aliveworkers", -1) == n; }, timeout);
  }

  std::string url() const { return "sluice://" + master_host_ + ":" + std::to_string(port_); }
  std::string masterEndpoint() const { return "tcp://" + master_host_ + ":" + std::to_string(port_); }
  const std::string& masterHost() const { return master_host_; }
  int port() const { return port_; }
  int webPort() const { return web_port_; }
  std::string workDir(const std::string& id) const { return tmp_ / ("work-" + id); }
  const std::string& workerEndpoint(const std::string& id) const { return worker_endpoints_.at(id); }
  int workerWebPort(const std::string& id) const { return worker_web_ports_.at(id); }
  Child& master() { return *master_; }
  Child& worker(const std::string& id) { return *workers_.at(id); }
  const TempDir& tmp() const { return tmp_; }

  // The pid of the process a worker of this cluster runs for driver_id (sluice-submit
  // --driver-id <id>), or -1. Only the driver: its executors are the workers' children too.
  pid_t driverPid(const std::string& driver_id) {
    for (auto& [id, child] : workers_) {
      pid_t pid = descendantWithArg(child->pid(), "sluice-submit", "--driver-id", driver_id);
      if (pid > 0) return pid;
    }
    return -1;
  }
  // The log of driver_id (stderr in its work directory on the worker that runs it).
  std::string driverLog(const std::string& driver_id) const {
    std::string all;
    for (const auto& entry : workers_) all += readFile(workDir(entry.first) + "/" + driver_id + "/stderr");
    return all;
  }

  // The master's GET /json now, or nullopt if it does not answer.
  std::optional<json> state() const { return getJson(master_host_, web_port_); }
  // The master's GET /json now; REQUIREs an answer.
  json requireState() const {
    auto j = state();
    REQUIRE(j.has_value());
    return *j;
  }
  // Polls /json until pred holds; false at the deadline.
  bool waitJson(const std::function<bool(const json&)>& pred, std::chrono::milliseconds timeout) const {
    return waitFor(
        [&] {
          auto j = state();
          return j && pred(*j);
        },
        timeout);
  }

  // A sluice-submit process with args after --master <this cluster>, run in work_dir (""
  // this process's); its log is <tmp>/<log_name>. The caller owns it (it is SIGKILLed when
  // dropped).
  std::unique_ptr<Child> submit(const std::vector<std::string>& args, const std::string& log_name,
                                const std::string& work_dir = "") const {
    auto child = std::make_unique<Child>(submitArgv(url(), args), tmp_ / log_name, work_dir);
    REQUIRE(child->started());
    return child;
  }

 private:
  std::vector<std::string> launcherOf(const std::string& host) const {
    auto it = launchers_.find(host);
    return it == launchers_.end() ? std::vector<std::string>{} : it->second;
  }

  TempDir tmp_;
  std::string master_host_;
  std::vector<std::string> master_args_;
  int master_starts_ = 0;
  int port_ = 0;
  int web_port_ = 0;
  std::unique_ptr<Child> master_;
  std::map<std::string, std::unique_ptr<Child>> workers_;
  std::map<std::string, std::string> worker_endpoints_;
  std::map<std::string, int> worker_web_ports_;
  std::map<std::string, std::vector<std::string>> launchers_;
};

}  // namespace sluice::testing
