#include "driver/local_cluster.h"

#include <signal.h>

#include <chrono>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/process.h"

namespace sluice {

LocalCluster::LocalCluster(std::string app_id, std::string work_root, ExitCallback on_exit)
    : app_id_(std::move(app_id)), work_root_(std::move(work_root)), on_exit_(std::move(on_exit)) {}

LocalCluster::~LocalCluster() { shutdown(); }

Status LocalCluster::launch(int workers, int cores, int memory_mb, const std::string& driver_endpoint) {
  std::string bin = findSluiceBinary("sluice-executor");
  for (int i = 0; i < workers; ++i) {
    std::string id = std::to_string(i);
    std::string dir = work_root_ + "/" + app_id_ + "/" + id;
    SpawnOptions opts;
    opts.argv = {bin, "--driver-url", driver_endpoint, "--executor-id", id, "--cores", std::to_string(cores),
                 "--memory", std::to_string(memory_mb) + "m", "--host", "127.0.0.1", "--work-dir", dir};
    opts.work_dir = dir;
    opts.stdout_path = dir + "/stdout";
    opts.stderr_path = dir + "/stderr";
    auto pid = spawnProcess(opts);
    if (!pid) return pid.status();
    spdlog::info("started executor {} (pid {}), logs in {}", id, *pid, dir);
    std::lock_guard<std::mutex> lock(mu_);
    running_[id] = *pid;
  }
  watcher_ = std::thread([this] { watch(); });
  return Status::ok();
}

std::map<std::string, pid_t> LocalCluster::pids() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

void LocalCluster::watch() {
  while (!stopping_) {
    std::vector<std::pair<std::string, ExitInfo>> exited;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = running_.begin(); it != running_.end();) {
        if (auto info = pollExit(it->second)) {
          exited.emplace_back(it->first, *info);
          it = running_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& [id, info] : exited) {
      if (stopping_) {
        spdlog::info("executor {} (pid {}) {}", id, info.pid, info.describe());
        continue;
      }
      spdlog::warn("executor {} (pid {}) {}", id, info.pid, info.describe());
      on_exit_(id, "executor process " + info.describe());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void LocalCluster::beginShutdown() { stopping_ = true; }

void LocalCluster::shutdown() {
  stopping_ = true;
  if (watcher_.joinable()) watcher_.join();
  std::lock_guard<std::mutex> lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (auto& [id, pid] : running_) {
    // The driver told executors to stop; give them a moment before the kill.
    while (!pollExit(pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (::kill(pid, 0) == 0) {
      ::kill(pid, SIGKILL);
      waitExit(pid);
    }
  }
  running_.clear();
  // Executor work dirs (fetched app, spills, logs) go with the application.
  std::error_code ec;
  std::filesystem::remove_all(work_root_ + "/" + app_id_, ec);
}

}  // namespace sluice
