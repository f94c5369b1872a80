// LocalCluster: the executors of local-cluster[W,C,M], W real sluice-executor processes on
// this machine, started by the driver and watched until they exit.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"

namespace sluice {

class LocalCluster {
 public:
  // on_exit(executor_id, reason) runs on the watcher thread when an executor process ends.
  using ExitCallback = std::function<void(const std::string&, const std::string&)>;

  LocalCluster(std::string app_id, std::string work_root, ExitCallback on_exit);
  // Kills the executors that are still running.
  ~LocalCluster();

  Status launch(int workers, int cores, int memory_mb, const std::string& driver_endpoint);
  // Executor id -> pid, for tests that kill one.
  std::map<std::string, pid_t> pids() const;
  // From now on executor exits are expected: they are logged, not reported as losses.
  void beginShutdown();
  // Waits up to 5 s for the executors to exit, then kills the rest.
  void shutdown();

 private:
  void watch();

  std::string app_id_;
  std::string work_root_;
  ExitCallback on_exit_;
  mutable std::mutex mu_;
  std::map<std::string, pid_t> running_;
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
};

}  // namespace sluice
