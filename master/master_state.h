// The master's view of the cluster (Spark's WorkerInfo, ApplicationInfo, ExecutorDesc,
// DriverInfo). Plain data: every field is read and written under Master's one mutex.
// The recorded parts (serialize()) are what the recovery dir keeps; executors and runtime
// fields are re-learned from re-registering workers and drivers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rpc/master_messages.h"
#include "rpc/transport.h"

namespace sluice::master {

struct WorkerInfo {
  // Recorded.
  std::string id;
  std::string host;
  std::string endpoint;  // the worker's ROUTER
  int32_t web_port = 0;
  int32_t cores = 0;
  int64_t memory_mb = 0;
  // Runtime.
  rpc::WorkerState state = rpc::WorkerState::kAlive;
  rpc::Peer peer;                  // its DEALER, as seen by our ROUTER: where we send to it
  int64_t last_heartbeat_ms = 0;   // wall clock, for display
  int64_t last_heartbeat_mono = 0; // steady clock, for the timeout
  int32_t cores_used = 0;
  int64_t memory_used_mb = 0;
  std::set<std::string> executors;  // "<app-id>/<executor-id>"
  std::set<std::string> drivers;
  // Its web UI as the worker advertises it (on ui.bindAddress); "" until it registers after a
  // master restart: then http://host:web_port.
  std::string web_url;

  int32_t coresFree() const { return cores - cores_used; }
  int64_t memoryFree() const { return memory_mb - memory_used_mb; }

  template <class A> void serialize(A& ar) { ar(id, host, endpoint, web_port, cores, memory_mb); }
};

struct ExecutorDesc {
  std::string app_id;
  std::string id;
  std::string worker_id;
  int32_t cores = 0;
  int64_t memory_mb = 0;
  rpc::ExecutorState state = rpc::ExecutorState::kLaunching;

  std::string key() const { return app_id + "/" + id; }
};

struct ApplicationInfo {
  // Recorded.
  rpc::RegisterApplication desc;  // desc.app_id is the id
  int64_t start_ms = 0;
  std::string user;
  int32_t next_executor_id = 0;
  int32_t retry_count = 0;
  rpc::AppState state = rpc::AppState::kWaiting;
  // Runtime.
  rpc::Peer driver;               // the driver's DEALER: where ExecutorAdded etc. go
  bool reregistered = true;       // false for an app read back from the recovery dir
  int64_t last_seen_mono = 0;     // steady clock of its last (re-)registration
  int64_t end_ms = 0;
  // An executor exited cleanly: only the driver stops its executors, so it is ending;
  // launch no replacements (they would be refused until the app unregisters).
  bool draining = false;
  std::map<std::string, ExecutorDesc> executors;  // by executor id
  int32_t cores_peak = 0;         // the most cores its executors held at once

  const std::string& id() const { return desc.app_id; }
  // Adds (or replaces) an executor and keeps cores_peak.
  void addExecutor(const ExecutorDesc& e) {
    executors[e.id] = e;
    cores_peak = std::max(cores_peak, coresGranted());
  }
  // The cores the web UI shows: those granted now, or for an app that ended the most it held.
  int32_t coresShown() const { return end_ms > 0 ? cores_peak : coresGranted(); }
  int32_t coresGranted() const {
    int32_t n = 0;
    for (const auto& [_, e] : executors) n += e.cores;
    return n;
  }
  // Cores the app may still get; max_cores 0 means no limit.
  int32_t coresLeft() const;

  template <class A> void serialize(A& ar) {
    ar(desc, start_ms, user, next_executor_id, retry_count, state);
  }
};

struct DriverInfo {
  // Recorded.
  std::string id;
  rpc::SubmitDriver desc;  // includes the application bytes
  std::string app_hash;    // hex XXH3-128 of desc.app_bytes, as describeAppFile
  int64_t submit_ms = 0;
  rpc::DriverState state = rpc::DriverState::kSubmitted;
  std::string worker_id;   // empty while waiting
  int32_t relaunches = 0;
  // Runtime.
  std::string message;     // last exit message
  int32_t exit_code = 0;

  template <class A> void serialize(A& ar) {
    ar(id, desc, app_hash, submit_ms, state, worker_id, relaunches);
  }
};

// Everything the web UI shows.
struct MasterState {
  std::string url;       // sluice://host:port
  std::string web_url;   // http://host:port
  std::string status = "ALIVE";  // Spark's RecoveryState: RECOVERING while a restarted master waits
  std::map<std::string, WorkerInfo> workers;  // alive, unknown and dead (until reaped)
  std::map<std::string, ApplicationInfo> apps;        // active (waiting or running), by id
  std::vector<std::string> app_order;         // active apps, FIFO by registration
  std::vector<ApplicationInfo> completed_apps;
  std::map<std::string, DriverInfo> drivers;  // active
  std::vector<std::string> waiting_drivers;
  std::vector<DriverInfo> completed_drivers;
};

inline int32_t ApplicationInfo::coresLeft() const {
  if (desc.max_cores <= 0) return INT32_MAX;
  return desc.max_cores - coresGranted();
}

}  // namespace sluice::master
