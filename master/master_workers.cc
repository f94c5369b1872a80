// Workers: registration, heartbeats, and the loss of a worker (Spark's Master
// registerWorker / timeOutDeadWorkers / removeWorker). Called with mu_ held.
#include <spdlog/spdlog.h>

#include "master/master.h"

namespace sluice::master {

void Master::onRegisterWorker(const Peer& from, const Envelope& env, const rpc::RegisterWorker& req) {
  rpc::RegisterWorkerReply reply;
  reply.master_url = url_;
  reply.heartbeat_ms = std::max<int64_t>(10, worker_timeout_.count() / 4);
  if (req.worker_id.empty() || req.cores < 0 || req.memory_mb < 0) {
    reply.error = "bad registration: worker id must be set, cores and memory non-negative";
    spdlog::warn("master: refused worker registration from {}: {}", from.toString(), reply.error);
    transport_.reply(from, env, reply);
    return;
  }
  auto it = state_.workers.find(req.worker_id);
  if (it != state_.workers.end() && it->second.state == rpc::WorkerState::kAlive) {
    reply.error = "duplicate worker id " + req.worker_id;
    spdlog::warn("master: refused worker registration from {}: {}", from.toString(), reply.error);
    transport_.reply(from, env, reply);
    return;
  }
  const bool recovered = it != state_.workers.end() && it->second.state == rpc::WorkerState::kUnknown;
  WorkerInfo w;
  w.id = req.worker_id;
  w.host = req.host;
  w.endpoint = req.endpoint;
  w.web_port = req.web_port;
  w.web_url = req.web_url;
  w.cores = req.cores;
  w.memory_mb = req.memory_mb;
  w.state = rpc::WorkerState::kAlive;
  w.peer = from;
  w.last_heartbeat_ms = wallMs();
  w.last_heartbeat_mono = monoMs();
  WorkerInfo& stored = state_.workers[w.id] = std::move(w);
  spdlog::info("registered worker {} on {} ({} cores, {} MB){}", stored.id, stored.host, stored.cores,
               stored.memory_mb, recovered ? " after master restart" : "");
  reply.ok = true;
  transport_.reply(from, env, reply);
  adoptRunning(stored, from, req, recovered);
  persistWorker(stored);
  maybeCompleteRecovery();
  schedule();
}

// A worker lists the executors and drivers still running on it. After a master restart
// they are taken back; otherwise they belong to nobody (their loss was already reported)
// and are killed.
void Master::adoptRunning(WorkerInfo& w, const Peer& from, const rpc::RegisterWorker& req, bool recovered) {
  for (size_t i = 0; i < req.executor_keys.size(); ++i) {
    const std::string& key = req.executor_keys[i];
    auto slash = key.find('/');
    std::string app_id = key.substr(0, slash);
    std::string exec_id = slash == std::string::npos ? "" : key.substr(slash + 1);
    auto app = state_.apps.find(app_id);
    if (!recovered || exec_id.empty() || app == state_.apps.end() || app->second.executors.count(exec_id)) {
      spdlog::info("worker {} runs executor {} the master does not know; killing it", w.id, key);
      transport_.send(from, rpc::KillExecutor{app_id, exec_id});
      continue;
    }
    ApplicationInfo& a = app->second;
    // The worker says how many cores it runs the executor with (an app without
    // executor.cores has executors of any size); one that does not say, the app's size.
    int32_t cores = i < req.executor_cores.size() ? req.executor_cores[i] : std::max(1, a.desc.executor_cores);
    ExecutorDesc e{app_id, exec_id, w.id, cores, a.desc.executor_memory_mb, rpc::ExecutorState::kRunning};
    a.addExecutor(e);
    a.state = rpc::AppState::kRunning;
    try {
      a.next_executor_id = std::max(a.next_executor_id, std::stoi(exec_id) + 1);
    } catch (const std::exception&) {
      // Not a number: ids the master hands out are, so it cannot clash with them.
    }
    w.executors.insert(key);
    w.cores_used += e.cores;
    w.memory_used_mb += e.memory_mb;
    persistApp(a);
    spdlog::info("recovered executor {} on worker {}", key, w.id);
  }
  for (const std::string& driver_id : req.driver_ids) {
    auto d = state_.drivers.find(driver_id);
    if (d == state_.drivers.end() || !(d->second.worker_id.empty() || d->second.worker_id == w.id)) {
      spdlog::info("worker {} runs driver {} the master does not know; killing it", w.id, driver_id);
      transport_.send(from, rpc::KillDriver{driver_id});
      continue;
    }
    DriverInfo& di = d->second;
    std::erase(state_.waiting_drivers, driver_id);
    di.worker_id = w.id;
    di.state = rpc::DriverState::kRunning;
    w.drivers.insert(driver_id);
    w.cores_used += di.desc.driver_cores;
    w.memory_used_mb += di.desc.driver_memory_mb;
    persistDriver(di);
    spdlog::info("recovered driver {} on worker {}", driver_id, w.id);
  }
}

void Master::onHeartbeat(const Peer& from, const rpc::WorkerHeartbeat& hb) {
  auto it = state_.workers.find(hb.worker_id);
  if (it == state_.workers.end() || it->second.state != rpc::WorkerState::kAlive) {
    spdlog::debug("heartbeat from unregistered worker {} ({}); asking it to register", hb.worker_id,
                  from.toString());
    transport_.send(from, rpc::ReconnectWorker{url_});
    return;
  }
  WorkerInfo& w = it->second;
  w.peer = from;
  w.last_heartbeat_ms = wallMs();
  w.last_heartbeat_mono = monoMs();
}

void Master::checkWorkerTimeouts() {
  const int64_t now = monoMs();
  const int64_t timeout = worker_timeout_.count();
  std::vector<std::string> dead, reaped;
  for (auto& [id, w] : state_.workers) {
    if (w.state == rpc::WorkerState::kAlive && now - w.last_heartbeat_mono > timeout) dead.push_back(id);
    // As Spark, a dead worker stays on the status page for a while (15 timeouts).
    if (w.state == rpc::WorkerState::kDead && now - w.last_heartbeat_mono > 16 * timeout) reaped.push_back(id);
  }
  for (const auto& id : dead) {
    removeWorker(state_.workers[id], "no heartbeat for " + std::to_string(timeout) + " ms");
  }
  for (const auto& id : reaped) state_.workers.erase(id);
}

void Master::removeWorker(WorkerInfo& w, const std::string& reason) {
  spdlog::warn("worker {} on {} is DEAD: {}", w.id, w.host, reason);
  w.state = rpc::WorkerState::kDead;
  for (const std::string& key : w.executors) {
    auto slash = key.find('/');
    auto app = state_.apps.find(key.substr(0, slash));
    if (app == state_.apps.end()) continue;
    std::string exec_id = key.substr(slash + 1);
    if (!app->second.executors.erase(exec_id)) continue;
    rpc::ExecutorStateChanged lost;
    lost.app_id = app->first;
    lost.executor_id = exec_id;
    lost.worker_id = w.id;
    lost.host = w.host;
    lost.state = rpc::ExecutorState::kLost;
    lost.message = "worker " + w.id + " lost";
    notify(app->second.driver, lost);
  }
  w.executors.clear();
  std::vector<std::string> drivers(w.drivers.begin(), w.drivers.end());
  w.drivers.clear();
  w.cores_used = 0;
  w.memory_used_mb = 0;
  for (const std::string& driver_id : drivers) {
    auto d = state_.drivers.find(driver_id);
    if (d == state_.drivers.end()) continue;
    d->second.worker_id.clear();
    d->second.message = "worker " + w.id + " lost";
    finishAppsOfDriver(driver_id, rpc::DriverState::kError);
    if (d->second.desc.supervise) {
      relaunchDriver(d->second);
    } else {
      removeDriver(driver_id, rpc::DriverState::kError);
    }
  }
  unpersistWorker(w.id);
  schedule();
}

}  // namespace sluice::master
