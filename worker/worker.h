// Worker: the standalone cluster's per-host daemon (Spark's Worker). It registers its cores
// and memory with the master and heartbeats (MasterLink); launches the executors and
// cluster-mode drivers the master asks for as child processes, each in its own work dir with
// `stdout` and `stderr` files; reports every start and exit to the master; and serves its
// state on a web UI (GET /json, GET /).
//
//   <work_dir>/<app-id>/<executor-id>/{stdout,stderr}     an executor
//   <work_dir>/<driver-id>/{<app file>,stdout,stderr}      a driver (sluice-submit, client mode)
//
// THREADING: messages arrive on the transport's I/O thread and are handed to the worker's
// own event-loop thread, which owns the children table; child exits come from the
// ProcessRunner's reaper and are handed over the same way; fetching a driver's application
// runs on a thread per driver. status() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <thread>

#include "common/conf.h"
#include "common/event_loop.h"
#include "common/status.h"
#include "rpc/master_messages.h"
#include "rpc/transport.h"
#include "worker/master_link.h"
#include "worker/process_runner.h"
#include "worker/web_ui.h"
#include "worker/worker_status.h"

namespace sluice::worker {

struct WorkerOptions {
  std::string master_url;         // sluice://host:port
  std::string host = "127.0.0.1";  // binds the worker's ROUTER and web UI; given to executors
  int port = 0;                   // 0: a free port
  int web_port = 8081;            // 0: a free port; -1: no web UI
  int32_t cores = 1;
  int64_t memory_mb = 1024;
  std::string work_dir;           // required
  std::string worker_id;          // empty: worker-<yyyyMMddHHmmss>-<host>-<port>
  // worker.registrationRetryInterval (1s), worker.masterPingInterval (3s),
  // worker.killTimeout (2s: SIGTERM to SIGKILL), worker.fetchTimeout (30s per app chunk),
  // worker.cleanup.enabled (true), worker.cleanup.interval (30min), worker.cleanup.appDataTtl
  // (7d): see worker/work_dir_cleanup.h.
  Conf conf;
};

class Worker {
 public:
  explicit Worker(WorkerOptions options);
  // stop().
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Binds the ROUTER and the web UI and starts registering (in the background: a master
  // that is not up yet is retried every second). Errors: a bad master URL, a port in use.
  Status start();
  // Kills every child (SIGTERM, SIGKILL after worker.killTimeout), reports their exits to
  // the master, and stops. Idempotent; returns within a few seconds.
  void stop();

  // True once stop() has run or the master refused this worker; waits up to timeout.
  bool waitTerminated(std::chrono::milliseconds timeout);
  // The master's refusal, or OK.
  Status fatalError() const;

  const std::string& id() const { return options_.worker_id; }
  std::string endpoint() const { return endpoint_; }  // tcp://host:port
  std::string webUrl() const { return web_url_; }     // http://host:port, "" without a web UI
  WorkerStatus status() const;

 private:
  using Task = std::function<void()>;
  void handle(const rpc::Peer& from, rpc::Envelope&& msg);
  void launchExecutor(const rpc::LaunchExecutor& msg);
  void killExecutor(const rpc::KillExecutor& msg);
  void launchDriver(const rpc::LaunchDriver& msg);
  void onDriverFetched(const rpc::LaunchDriver& msg, const std::string& app_path, const Status& fetched);
  void killDriver(const rpc::Peer& from, const rpc::Envelope& request, const rpc::KillDriver& msg);
  void onChildExit(const std::string& key, const ExitInfo& exit, bool killed);
  void finishExecutor(ExecutorStatus e, rpc::ExecutorState state, const std::string& message, int32_t code);
  void finishDriver(DriverStatus d, rpc::DriverState state, const std::string& message, int32_t code);
  // Adds the executors (keys and cores) and drivers running now to a registration.
  void runningChildren(rpc::RegisterWorker* registration) const;
  void onRefused(const Status& st);
  // On the loop: a work-dir cleanup pass (work_dir_cleanup.h), then the next one scheduled.
  void cleanWorkDir(bool reschedule);
  template <class M>
  void report(const M& msg) { transport_.send(link_->master(), msg); }

  WorkerOptions options_;
  std::string endpoint_;
  std::string web_url_;
  int web_port_ = 0;
  std::chrono::milliseconds fetch_timeout_;
  std::chrono::milliseconds cleanup_interval_;
  std::chrono::milliseconds cleanup_ttl_;
  // auth.enabled: the cluster's secret, handed to the executors and drivers launched here
  // (auth::handTo), never on their command lines.
  std::optional<std::string> secret_;
  rpc::Transport transport_;
  EventLoop<Task> loop_;
  std::unique_ptr<ProcessRunner> runner_;
  std::unique_ptr<MasterLink> link_;
  std::unique_ptr<WebUi> web_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;  // guards what follows
  std::condition_variable terminated_cv_;
  bool terminated_ = false;
  bool stopped_ = false;
  Status fatal_;
  std::map<std::string, ExecutorStatus> executors_;  // by key "<app-id>/<executor-id>"
  std::map<std::string, DriverStatus> drivers_;
  std::deque<ExecutorStatus> finished_executors_;
  std::deque<DriverStatus> finished_drivers_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> fetch_cancelled_;  // by driver id
  std::map<std::string, std::thread> fetchers_;                                // by driver id
};

}  // namespace sluice::worker
