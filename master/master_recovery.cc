// Recovery after a master restart (Spark's Master beginRecovery / completeRecovery) and the
// write-through to the recovery dir. Called with mu_ held, except recover() (from start(),
// before the transport and the ticker run).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "master/master.h"

namespace sluice::master {

Status Master::recover() {
  store_ = std::make_unique<RecoveryStore>(options_.recovery_dir);
  SLUICE_RETURN_IF_ERROR(store_->open());
  auto recovered = store_->readAll();
  if (!recovered) return recovered.status();
  RecoveredState& r = *recovered;
  std::lock_guard<std::mutex> lock(mu_);
  for (WorkerInfo& w : r.workers) {
    w.state = rpc::WorkerState::kUnknown;
    w.last_heartbeat_ms = wallMs();
    w.last_heartbeat_mono = monoMs();
    state_.workers[w.id] = std::move(w);
  }
  std::sort(r.apps.begin(), r.apps.end(),
            [](const ApplicationInfo& a, const ApplicationInfo& b) { return a.start_ms < b.start_ms; });
  for (ApplicationInfo& a : r.apps) {
    a.reregistered = false;
    a.last_seen_mono = monoMs();
    state_.app_order.push_back(a.id());
    state_.apps[a.id()] = std::move(a);
  }
  for (DriverInfo& d : r.drivers) {
    // A driver that was running is claimed again by the worker that lists it; until then
    // it has no worker. Waiting drivers stay waiting.
    d.worker_id.clear();
    if (d.state != rpc::DriverState::kRunning) state_.waiting_drivers.push_back(d.id);
    state_.drivers[d.id] = std::move(d);
  }
  if (r.workers.empty() && r.apps.empty() && r.drivers.empty()) return Status::ok();

  spdlog::info("recovering from {}: {} workers, {} applications, {} drivers", options_.recovery_dir,
               r.workers.size(), r.apps.size(), r.drivers.size());
  recovering_ = true;
  state_.status = "RECOVERING";
  recovery_deadline_mono_ = monoMs() + worker_timeout_.count();
  // Workers and drivers are DEALER clients of our ROUTER: their old connections are gone.
  // Their own ROUTERs are reachable, so tell them the master is back; a worker also
  // learns it from the ReconnectWorker answering its next heartbeat.
  const rpc::MasterChanged changed{url_};
  for (const auto& [_, w] : state_.workers) {
    if (!w.endpoint.empty()) transport_.send(Peer::dealer(w.endpoint), changed);
  }
  for (const auto& [_, a] : state_.apps) {
    if (!a.desc.driver_endpoint.empty()) transport_.send(Peer::dealer(a.desc.driver_endpoint), changed);
  }
  return Status::ok();
}

// Ends recovery early once every recorded worker and application is back.
void Master::maybeCompleteRecovery() {
  if (!recovering_) return;
  for (const auto& [_, w] : state_.workers) {
    if (w.state == rpc::WorkerState::kUnknown) return;
  }
  for (const auto& [_, a] : state_.apps) {
    if (!a.reregistered) return;
  }
  completeRecovery();
}

void Master::completeRecovery() {
  recovering_ = false;
  state_.status = "ALIVE";
  // Drop the connections MasterChanged opened: a peer that never came back would keep a
  // DEALER and its queue alive.
  for (const auto& [_, w] : state_.workers) {
    if (!w.endpoint.empty()) transport_.disconnect(w.endpoint);
  }
  for (const auto& [_, a] : state_.apps) {
    if (!a.desc.driver_endpoint.empty()) transport_.disconnect(a.desc.driver_endpoint);
  }
  std::vector<std::string> lost_workers, lost_apps, unclaimed;
  for (const auto& [id, w] : state_.workers) {
    if (w.state == rpc::WorkerState::kUnknown) lost_workers.push_back(id);
  }
  for (const auto& [id, a] : state_.apps) {
    if (!a.reregistered) lost_apps.push_back(id);
  }
  for (const auto& [id, d] : state_.drivers) {
    if (d.state == rpc::DriverState::kRunning && d.worker_id.empty()) unclaimed.push_back(id);
  }
  for (const auto& id : lost_workers) removeWorker(state_.workers.at(id), "did not re-register after master restart");
  for (const auto& id : lost_apps) {
    spdlog::warn("application {} did not re-register after master restart", id);
    finishApplication(id, rpc::AppState::kFinished);
  }
  for (const auto& id : unclaimed) {
    auto it = state_.drivers.find(id);
    if (it == state_.drivers.end()) continue;
    if (it->second.desc.supervise) {
      relaunchDriver(it->second);
    } else {
      it->second.message = "no worker claimed it after master restart";
      removeDriver(id, rpc::DriverState::kError);
    }
  }
  spdlog::info("recovery complete");
  schedule();
}

// Write-through to the recovery dir. A failed write is logged and the master goes on: the
// cluster keeps running, only a later restart would miss the change.
#define SLUICE_PERSIST(call)                                                 \
  do {                                                                       \
    if (!store_) return;                                                     \
    Status st = (call);                                                      \
    if (!st) spdlog::error("master: recovery dir: {}", st.toString());       \
  } while (0)

void Master::persistWorker(const WorkerInfo& w) { SLUICE_PERSIST(store_->putWorker(w)); }
void Master::unpersistWorker(const std::string& id) { SLUICE_PERSIST(store_->removeWorker(id)); }
void Master::persistApp(const ApplicationInfo& a) { SLUICE_PERSIST(store_->putApp(a)); }
void Master::unpersistApp(const std::string& id) { SLUICE_PERSIST(store_->removeApp(id)); }
void Master::persistDriver(const DriverInfo& d) { SLUICE_PERSIST(store_->putDriver(d)); }
void Master::unpersistDriver(const std::string& id) { SLUICE_PERSIST(store_->removeDriver(id)); }

#undef SLUICE_PERSIST

}  // namespace sluice::master
