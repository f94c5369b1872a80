// Master: the standalone cluster manager daemon (Spark's deploy.master.Master), usable
// in-process: construct, start(), talk to url()/webUrl(), stop().
//
// Workers register and heartbeat; applications register and get executors placed on the
// workers (allocateExecutors in scheduling.h); cluster-mode drivers are submitted, placed
// on a worker and their application bytes served to it; dead workers are detected by a
// ticker thread. With a recovery dir every change to a worker, application or driver is
// persisted, and a restarted master rebuilds its state from it (RECOVERY_FORMAT.md).
//
// THREADING: all state lives in one MasterState guarded by mu_. Three threads touch it:
// the transport's I/O thread (message handlers, which never block on the network), the
// ticker (timeouts, end of recovery) and the web UI's HTTP thread (read only). Messages to
// workers and drivers go through Transport::send, which is thread-safe and non-blocking.
// The handlers are split by concept: master_workers.cc, master_apps.cc,
// master_drivers.cc, master_recovery.cc.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/conf.h"
#include "common/http_server.h"
#include "common/status.h"
#include "master/master_state.h"
#include "master/persistence.h"
#include "rpc/master_messages.h"
#include "rpc/transport.h"

namespace sluice::master {

struct MasterOptions {
  std::string host = "127.0.0.1";
  int port = 7077;        // 0: any free port
  int webui_port = 8080;  // 0: any free port; -1: no web UI; taken: start() fails
  std::string recovery_dir;  // empty: no recovery
  Conf conf;              // worker.timeout, app.timeout, deploy.spreadOut, deploy.maxExecutorRetries
};

class Master {
 public:
  explicit Master(MasterOptions options);
  ~Master();
  Master(const Master&) = delete;
  Master& operator=(const Master&) = delete;

  // Binds both ports, recovers from the recovery dir and starts serving. An unusable port
  // or recovery dir is an error naming it; nothing is left running then.
  Status start();
  // Idempotent; also run by the destructor.
  void stop();

  std::string url() const { return url_; }            // sluice://host:port
  std::string endpoint() const { return endpoint_; }  // tcp://host:port
  std::string webUrl() const { return web_url_; }     // http://host:port, empty without UI

  // Ends a running application as KILLED (Spark's web UI kill): its executors are killed
  // and it is not scheduled again. NotFound for an unknown or ended one. Thread-safe.
  Status killApplication(const std::string& app_id);

  // Runs f(const MasterState&) under the state mutex (web UI, tests).
  template <class F>
  auto inspect(F&& f) const {
    std::lock_guard<std::mutex> lock(mu_);
    return f(state_);
  }

 private:
  using Peer = rpc::Peer;
  using Envelope = rpc::Envelope;

  void handle(const Peer& from, Envelope&& msg);
  template <class M, class F>
  void dispatch(const Peer& from, const Envelope& msg, F&& handler);
  void tickerLoop();
  // Sends msg unless the peer is not known (e.g. a recovered app whose driver has not
  // re-registered yet).
  template <class M>
  void notify(const Peer& to, const M& msg) {
    if (!to.id.empty()) transport_.send(to, msg);
  }
  Status startWebUi();

  // master_workers.cc
  void onRegisterWorker(const Peer& from, const Envelope& env, const rpc::RegisterWorker& req);
  void adoptRunning(WorkerInfo& w, const Peer& from, const rpc::RegisterWorker& req, bool recovered);
  void onHeartbeat(const Peer& from, const rpc::WorkerHeartbeat& hb);
  void checkWorkerTimeouts();
  void removeWorker(WorkerInfo& w, const std::string& reason);

  // master_apps.cc
  void onRegisterApplication(const Peer& from, const Envelope& env, const rpc::RegisterApplication& req);
  void onUnregisterApplication(const rpc::UnregisterApplication& req);
  void onExecutorStateChanged(const Peer& from, const rpc::ExecutorStateChanged& msg);
  void schedule();
  void startExecutors();
  void launchExecutor(ApplicationInfo& app, WorkerInfo& w, int32_t cores);
  void releaseExecutor(const ExecutorDesc& e);
  // Takes the id by value: callers pass app.id(), which this erases.
  void finishApplication(std::string app_id, rpc::AppState state);
  // Ends the applications whose driver has not re-registered for app.timeout: it died
  // without unregistering (Spark removes them when the driver disconnects).
  void checkAppTimeouts();

  // master_drivers.cc
  void onSubmitDriver(const Peer& from, const Envelope& env, rpc::SubmitDriver&& req);
  void onFetchDriverApp(const Peer& from, const Envelope& env, const rpc::FetchDriverApp& req);
  void onDriverStateChanged(const rpc::DriverStateChanged& msg);
  void onDriverStatus(const Peer& from, const Envelope& env, const rpc::DriverStatusRequest& req);
  void onKillDriver(const Peer& from, const Envelope& env, const rpc::KillDriver& req);
  void startDrivers();
  void launchDriver(DriverInfo& d, WorkerInfo& w);
  void releaseDriver(DriverInfo& d);
  void relaunchDriver(DriverInfo& d);
  // Takes the id by value: callers pass d.id, which this erases.
  void removeDriver(std::string driver_id, rpc::DriverState state);
  // Ends the applications a cluster-mode driver registered, when its process has ended.
  void finishAppsOfDriver(const std::string& driver_id, rpc::DriverState driver_state);

  // master_recovery.cc
  Status recover();
  void maybeCompleteRecovery();
  void completeRecovery();
  void persistWorker(const WorkerInfo& w);
  void unpersistWorker(const std::string& id);
  void persistApp(const ApplicationInfo& a);
  void unpersistApp(const std::string& id);
  void persistDriver(const DriverInfo& d);
  void unpersistDriver(const std::string& id);

  std::string newId(const std::string& prefix, int* counter, bool (Master::*taken)(const std::string&) const);
  bool appIdTaken(const std::string& id) const;
  bool driverIdTaken(const std::string& id) const;
  static int64_t wallMs();
  static int64_t monoMs();

  MasterOptions options_;
  std::chrono::milliseconds worker_timeout_;
  std::chrono::milliseconds app_timeout_;
  bool spread_out_;
  int max_executor_retries_;
  std::string url_, endpoint_, web_url_;

  mutable std::mutex mu_;
  MasterState state_;
  std::unique_ptr<RecoveryStore> store_;
  bool recovering_ = false;
  int64_t recovery_deadline_mono_ = 0;
  int next_app_number_ = 0;
  int next_driver_number_ = 0;
  size_t next_driver_worker_ = 0;  // round robin start for driver placement

  rpc::Transport transport_;
  std::unique_ptr<HttpServer> http_;
  std::thread ticker_;
  std::condition_variable ticker_cv_;
  bool stopping_ = false;
  bool started_ = false;
};

}  // namespace sluice::master
