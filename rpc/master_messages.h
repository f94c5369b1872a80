// Messages of the standalone cluster: workers and applications with the master, the master
// with workers. The flow is in rpc/FORMAT.md ("Standalone cluster protocol").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/conf.h"
#include "rpc/message_tag.h"

namespace sluice::rpc {

enum class WorkerState : uint8_t { kAlive = 0, kDead = 1, kDecommissioned = 2, kUnknown = 3 };
enum class AppState : uint8_t { kWaiting = 0, kRunning = 1, kFinished = 2, kFailed = 3, kKilled = 4 };
enum class ExecutorState : uint8_t { kLaunching = 0, kRunning = 1, kExited = 2, kFailed = 3, kKilled = 4, kLost = 5 };
enum class DriverState : uint8_t {
  kSubmitted = 0, kRunning = 1, kFinished = 2, kFailed = 3, kKilled = 4, kRelaunching = 5, kError = 6, kUnknown = 7
};

const char* workerStateName(WorkerState s);
const char* appStateName(AppState s);
const char* executorStateName(ExecutorState s);
const char* driverStateName(DriverState s);

// Worker -> master, on start and after a master restart.
struct RegisterWorker {
  static constexpr MessageTag kTag = MessageTag::kRegisterWorker;
  std::string worker_id;
  std::string host;
  std::string endpoint;    // the worker's ROUTER: tcp://host:port
  int32_t web_port = 0;
  int32_t cores = 0;
  int64_t memory_mb = 0;
  // Executors and drivers still running there (a master that restarted re-learns them).
  std::vector<std::string> executor_keys;  // "<app-id>/<executor-id>"
  std::vector<std::string> driver_ids;
  std::vector<int32_t> executor_cores;     // the cores of executor_keys[i]
  std::string web_url;                     // its web UI as a browser opens it ("": none)
  template <class A> void serialize(A& ar) {
    ar(worker_id, host, endpoint, web_port, cores, memory_mb, executor_keys, driver_ids, executor_cores, web_url);
  }
};

struct RegisterWorkerReply {
  static constexpr MessageTag kTag = MessageTag::kRegisterWorkerReply;
  bool ok = false;
  std::string error;
  std::string master_url;
  int64_t heartbeat_ms = 1000;
  template <class A> void serialize(A& ar) { ar(ok, error, master_url, heartbeat_ms); }
};

struct WorkerHeartbeat {
  static constexpr MessageTag kTag = MessageTag::kWorkerHeartbeat;
  std::string worker_id;
  template <class A> void serialize(A& ar) { ar(worker_id); }
};

// Master -> worker when a heartbeat comes from a worker it does not know: register again.
struct ReconnectWorker {
  static constexpr MessageTag kTag = MessageTag::kReconnectWorker;
  std::string master_url;
  template <class A> void serialize(A& ar) { ar(master_url); }
};

// Driver -> master.
struct RegisterApplication {
  static constexpr MessageTag kTag = MessageTag::kRegisterApplication;
  std::string app_id;        // empty: the master assigns one
  std::string name;
  std::string driver_endpoint;  // where executors register
  int32_t executor_cores = 1;     // 0: one executor per worker with all the cores it can take there
  int64_t executor_memory_mb = 1024;
  int32_t max_cores = 0;     // --total-executor-cores; 0 = all available
  std::string driver_id;     // set when the driver was launched by the cluster
  std::string user;          // who submitted it (Spark's ApplicationDescription.user)
  std::string app_ui_url;    // the driver's web UI, http://host:port; empty: none (yet)
  template <class A> void serialize(A& ar) {
    ar(app_id, name, driver_endpoint, executor_cores, executor_memory_mb, max_cores, driver_id, user, app_ui_url);
  }
};

struct RegisterApplicationReply {
  static constexpr MessageTag kTag = MessageTag::kRegisterApplicationReply;
  bool ok = false;
  std::string error;
  std::string app_id;
  template <class A> void serialize(A& ar) { ar(ok, error, app_id); }
};

struct UnregisterApplication {
  static constexpr MessageTag kTag = MessageTag::kUnregisterApplication;
  std::string app_id;
  bool failed = false;
  template <class A> void serialize(A& ar) { ar(app_id, failed); }
};

// Master -> worker.
struct LaunchExecutor {
  static constexpr MessageTag kTag = MessageTag::kLaunchExecutor;
  std::string app_id;
  std::string executor_id;
  std::string driver_endpoint;
  int32_t cores = 1;
  int64_t memory_mb = 1024;
  template <class A> void serialize(A& ar) { ar(app_id, executor_id, driver_endpoint, cores, memory_mb); }
};

struct KillExecutor {
  static constexpr MessageTag kTag = MessageTag::kKillExecutor;
  std::string app_id;
  std::string executor_id;
  template <class A> void serialize(A& ar) { ar(app_id, executor_id); }
};

// Worker -> master, and master -> driver (the application's executors).
struct ExecutorStateChanged {
  static constexpr MessageTag kTag = MessageTag::kExecutorStateChanged;
  std::string app_id;
  std::string executor_id;
  std::string worker_id;
  std::string host;
  ExecutorState state = ExecutorState::kLaunching;
  std::string message;  // "exited with code 1", "killed by signal 9 (Killed)", "worker lost"
  int32_t exit_code = 0;
  template <class A> void serialize(A& ar) { ar(app_id, executor_id, worker_id, host, state, message, exit_code); }
};

// Master -> driver: an executor was granted on a worker (informational).
struct ExecutorAdded {
  static constexpr MessageTag kTag = MessageTag::kExecutorAdded;
  std::string executor_id;
  std::string worker_id;
  std::string host;
  int32_t cores = 0;
  template <class A> void serialize(A& ar) { ar(executor_id, worker_id, host, cores); }
};

// sluice-submit (cluster mode) -> master. The application bytes travel with the request.
struct SubmitDriver {
  static constexpr MessageTag kTag = MessageTag::kSubmitDriver;
  std::string app_name;
  std::string app_file_name;  // e.g. "libword_count.so"
  std::string app_bytes;
  std::vector<std::string> app_args;
  Conf conf;                 // includes executor cores/memory/max cores
  int32_t driver_cores = 1;
  int64_t driver_memory_mb = 1024;
  bool supervise = false;
  template <class A> void serialize(A& ar) {
    ar(app_name, app_file_name, app_bytes, app_args, conf, driver_cores, driver_memory_mb, supervise);
  }
};

struct SubmitDriverReply {
  static constexpr MessageTag kTag = MessageTag::kSubmitDriverReply;
  bool ok = false;
  std::string error;
  std::string driver_id;
  template <class A> void serialize(A& ar) { ar(ok, error, driver_id); }
};

// Master -> worker: run a driver (cluster mode). The worker fetches the app from the master.
struct LaunchDriver {
  static constexpr MessageTag kTag = MessageTag::kLaunchDriver;
  std::string driver_id;
  std::string app_file_name;
  std::string app_hash;
  int64_t app_size = 0;
  std::vector<std::string> app_args;
  Conf conf;
  template <class A> void serialize(A& ar) { ar(driver_id, app_file_name, app_hash, app_size, app_args, conf); }
};

struct FetchDriverApp {
  static constexpr MessageTag kTag = MessageTag::kFetchDriverApp;
  std::string driver_id;
  int64_t offset = 0;
  int64_t length = 0;
  template <class A> void serialize(A& ar) { ar(driver_id, offset, length); }
};

struct FetchDriverAppReply {
  static constexpr MessageTag kTag = MessageTag::kFetchDriverAppReply;
  std::string error;
  std::string bytes;
  template <class A> void serialize(A& ar) { ar(error, bytes); }
};

struct KillDriver {
  static constexpr MessageTag kTag = MessageTag::kKillDriver;
  std::string driver_id;
  template <class A> void serialize(A& ar) { ar(driver_id); }
};

struct KillDriverReply {
  static constexpr MessageTag kTag = MessageTag::kKillDriverReply;
  bool ok = false;
  std::string message;
  template <class A> void serialize(A& ar) { ar(ok, message); }
};

// Worker -> master.
struct DriverStateChanged {
  static constexpr MessageTag kTag = MessageTag::kDriverStateChanged;
  std::string driver_id;
  DriverState state = DriverState::kRunning;
  std::string message;
  int32_t exit_code = 0;
  template <class A> void serialize(A& ar) { ar(driver_id, state, message, exit_code); }
};

// sluice-submit --status -> master.
struct DriverStatusRequest {
  static constexpr MessageTag kTag = MessageTag::kDriverStatusRequest;
  std::string driver_id;
  template <class A> void serialize(A& ar) { ar(driver_id); }
};

struct DriverStatusReply {
  static constexpr MessageTag kTag = MessageTag::kDriverStatusReply;
  bool found = false;
  DriverState state = DriverState::kUnknown;
  std::string worker_id;
  std::string worker_host;
  std::string message;
  template <class A> void serialize(A& ar) { ar(found, state, worker_id, worker_host, message); }
};

// Master -> workers and drivers after a master restart (sent to the endpoints recorded in the
// recovery dir): the master at master_url has taken over; workers register again.
struct MasterChanged {
  static constexpr MessageTag kTag = MessageTag::kMasterChanged;
  std::string master_url;
  template <class A> void serialize(A& ar) { ar(master_url); }
};

}  // namespace sluice::rpc
