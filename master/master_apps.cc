// Applications and their executors (Spark's Master registerApplication / schedule /
// startExecutorsOnWorkers / ExecutorStateChanged / removeApplication). Called with mu_ held.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "master/master.h"
#include "master/scheduling.h"

namespace sluice::master {
namespace {

constexpr size_t kRetainedCompletedApps = 200;  // as spark.deploy.retainedApplications

bool isFinished(rpc::ExecutorState s) {
  return s == rpc::ExecutorState::kExited || s == rpc::ExecutorState::kFailed ||
         s == rpc::ExecutorState::kKilled || s == rpc::ExecutorState::kLost;
}

}  // namespace

void Master::onRegisterApplication(const Peer& from, const Envelope& env, const rpc::RegisterApplication& req) {
  rpc::RegisterApplicationReply reply;
  auto known = state_.apps.find(req.app_id);
  if (!req.app_id.empty() && known != state_.apps.end()) {
    // The driver re-sends its registration now and then: keep its executors, learn its
    // (possibly new) connection.
    ApplicationInfo& app = known->second;
    app.driver = from;
    app.last_seen_mono = monoMs();
    app.desc.driver_endpoint = req.driver_endpoint;
    if (app.desc.app_ui_url != req.app_ui_url) {
      // The driver's UI started after it registered (or moved): the web UI links there.
      app.desc.app_ui_url = req.app_ui_url;
      persistApp(app);
    }
    if (!app.reregistered) {
      app.reregistered = true;
      spdlog::info("application {} re-registered after master restart", app.id());
    }
    reply.ok = true;
    reply.app_id = app.id();
    transport_.reply(from, env, reply);
    maybeCompleteRecovery();
    return;
  }
  for (const ApplicationInfo& done : state_.completed_apps) {
    if (!req.app_id.empty() && done.id() == req.app_id) {
      reply.error = "application " + req.app_id + " has already ended (" + rpc::appStateName(done.state) + ")";
      transport_.reply(from, env, reply);
      return;
    }
  }
  if (req.executor_cores < 0 || req.executor_memory_mb < 0 || req.max_cores < 0) {
    reply.error = "bad application request: executor cores, memory and max cores must be >= 0";
    spdlog::warn("master: refused application {} from {}: {}", req.name, from.toString(), reply.error);
    transport_.reply(from, env, reply);
    return;
  }
  ApplicationInfo app;
  app.desc = req;
  if (app.desc.app_id.empty()) app.desc.app_id = newId("app", &next_app_number_, &Master::appIdTaken);
  app.start_ms = wallMs();
  app.last_seen_mono = monoMs();
  // The submitting user as the driver reports it; older drivers do not, then the master's.
  const char* user = std::getenv("USER");
  app.user = !req.user.empty() ? req.user : user ? user : "";
  app.driver = from;
  const std::string id = app.id();
  spdlog::info("registered application {} ({}) from driver {}: {}, {} MB/executor, max cores {}",
               id, req.name, req.driver_endpoint,
               req.executor_cores == 0 ? std::string("one executor per worker with all its free cores")
                                       : std::to_string(req.executor_cores) + " cores/executor",
               req.executor_memory_mb,
               req.max_cores == 0 ? std::string("all") : std::to_string(req.max_cores));
  state_.app_order.push_back(id);
  persistApp(state_.apps[id] = std::move(app));
  reply.ok = true;
  reply.app_id = id;
  transport_.reply(from, env, reply);
  schedule();
}

void Master::onUnregisterApplication(const rpc::UnregisterApplication& req) {
  if (!state_.apps.count(req.app_id)) {
    spdlog::warn("master: unregister of unknown application {}", req.app_id);
    return;
  }
  spdlog::info("application {} unregistered{}", req.app_id, req.failed ? " (failed)" : "");
  finishApplication(req.app_id, req.failed ? rpc::AppState::kFailed : rpc::AppState::kFinished);
  // A recovered application that ends before re-registering is no longer awaited.
  maybeCompleteRecovery();
}

void Master::onExecutorStateChanged(const Peer& from, const rpc::ExecutorStateChanged& msg) {
  auto app_it = state_.apps.find(msg.app_id);
  if (app_it == state_.apps.end()) {
    // An executor of an application that has ended: killed on unregister, nothing to do.
    spdlog::debug("executor {}/{} is {} (application no longer active)", msg.app_id, msg.executor_id,
                  rpc::executorStateName(msg.state));
    return;
  }
  ApplicationInfo& app = app_it->second;
  auto exec_it = app.executors.find(msg.executor_id);
  if (exec_it == app.executors.end()) {
    spdlog::warn("master: state {} of unknown executor {}/{} from {}", rpc::executorStateName(msg.state),
                 msg.app_id, msg.executor_id, from.toString());
    return;
  }
  ExecutorDesc& exec = exec_it->second;
  exec.state = msg.state;
  rpc::ExecutorStateChanged forward = msg;
  if (forward.worker_id.empty()) forward.worker_id = exec.worker_id;
  notify(app.driver, forward);
  if (msg.state == rpc::ExecutorState::kRunning && app.state == rpc::AppState::kWaiting) {
    app.state = rpc::AppState::kRunning;
    persistApp(app);
  }
  if (!isFinished(msg.state)) return;

  spdlog::info("executor {}/{} on worker {} is {}: {}", msg.app_id, msg.executor_id, exec.worker_id,
               rpc::executorStateName(msg.state), msg.message);
  const ExecutorDesc gone = exec;
  app.executors.erase(exec_it);
  releaseExecutor(gone);
  const bool normal_exit = msg.state == rpc::ExecutorState::kExited && msg.exit_code == 0;
  if (normal_exit) {
    app.draining = true;
  } else {
    ++app.retry_count;
    persistApp(app);
    bool any_running = false;
    for (const auto& [_, e] : app.executors) any_running |= e.state == rpc::ExecutorState::kRunning;
    if (max_executor_retries_ >= 0 && app.retry_count >= max_executor_retries_ && !any_running) {
      spdlog::error("application {} failed: {} executors failed in a row (deploy.maxExecutorRetries = {})",
                    app.id(), app.retry_count, max_executor_retries_);
      finishApplication(app.id(), rpc::AppState::kFailed);
      return;
    }
  }
  schedule();
}

void Master::checkAppTimeouts() {
  if (recovering_) return;  // recovered applications are waited for by the recovery
  const int64_t now = monoMs();
  std::vector<std::string> gone;
  for (const auto& [id, a] : state_.apps) {
    if (now - a.last_seen_mono > app_timeout_.count()) gone.push_back(id);
  }
  for (const std::string& id : gone) {
    spdlog::warn("application {}: its driver has not re-registered for {} ms (app.timeout); removing it", id,
                 now - state_.apps.at(id).last_seen_mono);
    finishApplication(id, rpc::AppState::kFinished);
  }
}

void Master::schedule() {
  if (recovering_ || stopping_) return;
  startDrivers();
  startExecutors();
}

// FIFO over the active applications; each takes what allocateExecutors grants it.
void Master::startExecutors() {
  std::vector<WorkerInfo*> alive;
  for (auto& [_, w] : state_.workers) {
    if (w.state == rpc::WorkerState::kAlive) alive.push_back(&w);
  }
  if (alive.empty()) return;
  for (const std::string& id : state_.app_order) {
    ApplicationInfo& app = state_.apps.at(id);
    if (app.draining || app.coresLeft() < std::max(1, app.desc.executor_cores)) continue;
    std::vector<WorkerSlot> slots;
    for (WorkerInfo* w : alive) slots.push_back({w->coresFree(), w->memoryFree()});
    ExecutorRequest request{app.desc.executor_cores, app.desc.executor_memory_mb, app.coresLeft()};
    for (const ExecutorAllocation& a : allocateExecutors(request, slots, spread_out_)) {
      launchExecutor(app, *alive[a.worker], a.cores);
    }
  }
}

void Master::launchExecutor(ApplicationInfo& app, WorkerInfo& w, int32_t cores) {
  ExecutorDesc e{app.id(), std::to_string(app.next_executor_id++), w.id, cores, app.desc.executor_memory_mb,
                 rpc::ExecutorState::kLaunching};
  spdlog::info("launching executor {} on worker {} ({} cores, {} MB)", e.key(), w.id, cores, e.memory_mb);
  w.executors.insert(e.key());
  w.cores_used += cores;
  w.memory_used_mb += e.memory_mb;
  app.addExecutor(e);
  persistApp(app);
  notify(w.peer, rpc::LaunchExecutor{app.id(), e.id, app.desc.driver_endpoint, cores, e.memory_mb});
  notify(app.driver, rpc::ExecutorAdded{e.id, w.id, w.host, cores});
}

void Master::releaseExecutor(const ExecutorDesc& e) {
  auto w = state_.workers.find(e.worker_id);
  if (w == state_.workers.end() || !w->second.executors.erase(e.key())) return;
  w->second.cores_used -= e.cores;
  w->second.memory_used_mb -= e.memory_mb;
}

void Master::finishApplication(std::string app_id, rpc::AppState state) {
  auto it = state_.apps.find(app_id);
  if (it == state_.apps.end()) return;
  ApplicationInfo app = std::move(it->second);
  state_.apps.erase(it);
  std::erase(state_.app_order, app_id);
  for (const auto& [exec_id, e] : app.executors) {
    auto w = state_.workers.find(e.worker_id);
    if (w != state_.workers.end() && w->second.state == rpc::WorkerState::kAlive) {
      notify(w->second.peer, rpc::KillExecutor{app_id, exec_id});
    }
    releaseExecutor(e);
  }
  app.executors.clear();
  app.state = state;
  app.end_ms = wallMs();
  spdlog::info("application {} is {}", app_id, rpc::appStateName(state));
  state_.completed_apps.push_back(std::move(app));
  if (state_.completed_apps.size() > kRetainedCompletedApps) state_.completed_apps.erase(state_.completed_apps.begin());
  unpersistApp(app_id);
  schedule();
}

}  // namespace sluice::master
