// What a Worker runs and has run: plain data, read by the web UI as one snapshot
// (Spark's ExecutorRunner / DriverRunner fields and WorkerStateResponse).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rpc/master_messages.h"

namespace sluice::worker {

struct ExecutorStatus {
  std::string app_id;
  std::string executor_id;
  int32_t cores = 0;
  int64_t memory_mb = 0;
  rpc::ExecutorState state = rpc::ExecutorState::kLaunching;
  pid_t pid = 0;
  std::string work_dir;
  std::string message;     // the exit, once it ended
  int32_t exit_code = 0;
  bool kill_requested = false;

  // "<app-id>/<executor-id>", the key the master knows it by.
  std::string key() const { return app_id + "/" + executor_id; }
};

struct DriverStatus {
  std::string driver_id;
  std::string app_file_name;
  int32_t cores = 0;
  int64_t memory_mb = 0;
  rpc::DriverState state = rpc::DriverState::kSubmitted;  // kSubmitted while fetching the app
  pid_t pid = 0;
  std::string work_dir;
  std::string message;
  int32_t exit_code = 0;
  bool kill_requested = false;
};

struct WorkerStatus {
  std::string id;
  std::string host;
  std::string endpoint;     // tcp://host:port
  std::string web_url;      // http://host:port
  std::string master_url;   // sluice://host:port
  std::string master_web_url;  // empty: the protocol does not carry it
  bool registered = false;
  int32_t cores = 0;
  int64_t memory_mb = 0;
  std::vector<ExecutorStatus> executors;
  std::vector<ExecutorStatus> finished_executors;
  std::vector<DriverStatus> drivers;
  std::vector<DriverStatus> finished_drivers;

  // Executors and drivers hold their cores and memory until they end.
  int32_t coresUsed() const {
    int32_t n = 0;
    for (const auto& e : executors) n += e.cores;
    for (const auto& d : drivers) n += d.cores;
    return n;
  }
  int64_t memoryUsed() const {
    int64_t n = 0;
    for (const auto& e : executors) n += e.memory_mb;
    for (const auto& d : drivers) n += d.memory_mb;
    return n;
  }
};

}  // namespace sluice::worker
