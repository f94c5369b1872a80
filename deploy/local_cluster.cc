#include "deploy/local_cluster.h"

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/auth_secret.h"
#include "common/process.h"

namespace sluice {
using namespace std::chrono_literals;

LocalCluster::LocalCluster(std::string app_id, std::string work_root)
    : app_id_(std::move(app_id)), dir_(work_root + "/" + app_id_ + "/cluster") {}

LocalCluster::~LocalCluster() { shutdown(); }

namespace {

// Waits for the master to print its URL in its log.
StatusOr<std::string> awaitMasterUrl(const std::string& log, pid_t pid, std::chrono::milliseconds timeout) {
  static const std::regex kUrl(R"(sluice://[0-9.]+:[0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    std::smatch m;
    if (std::regex_search(s, m, kUrl)) return m.str();
    if (auto exit = pollExit(pid)) return Status::aborted("sluice-master " + exit->describe() + "; see " + log);
    std::this_thread::sleep_for(10ms);
  }
  return Status::timeout("sluice-master did not start within " + std::to_string(timeout.count()) + " ms; see " + log);
}

}  // namespace

Status LocalCluster::start(int workers, int cores, int memory_mb, const std::optional<std::string>& secret) {
  SpawnOptions master;
  master.argv = {findSluiceBinary("sluice-master"), "--host", "127.0.0.1", "--port", "0", "--webui-port", "0"};
  auth::handTo(master, secret);
  master.work_dir = dir_;
  master.stdout_path = dir_ + "/master.out";
  master.stderr_path = dir_ + "/master.log";
  auto pid = spawnProcess(master);
  if (!pid) return pid.status();
  daemons_.push_back(*pid);
  auto url = awaitMasterUrl(master.stderr_path, *pid, 10000ms);
  if (!url) return url.status();
  master_url_ = *url;
  for (int i = 0; i < workers; ++i) {
    std::string name = "worker-" + std::to_string(i);
    SpawnOptions w;
    w.argv = {findSluiceBinary("sluice-worker"), master_url_, "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
              "--cores", std::to_string(cores), "--memory", std::to_string(memory_mb) + "m", "--work-dir",
              dir_ + "/" + name, "--worker-id", app_id_ + "-" + name};
    auth::handTo(w, secret);
    w.work_dir = dir_;
    w.stdout_path = dir_ + "/" + name + ".out";
    w.stderr_path = dir_ + "/" + name + ".log";
    auto wpid = spawnProcess(w);
    if (!wpid) return wpid.status();
    daemons_.push_back(*wpid);
  }
  spdlog::info("local cluster: master {} with {} workers ({} cores, {} MiB each), logs in {}", master_url_, workers,
               cores, memory_mb, dir_);
  return Status::ok();
}

void LocalCluster::shutdown() {
  if (daemons_.empty()) return;
  // Workers first (they stop their executors), then the master.
  for (auto it = daemons_.rbegin(); it != daemons_.rend(); ++it) ::kill(*it, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  for (pid_t pid : daemons_) {
    while (!pollExit(pid)) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        waitExit(pid);
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
  }
  daemons_.clear();
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(dir_).parent_path(), ec);
}

}  // namespace sluice
