// Cluster-mode drivers (Spark's Master RequestSubmitDriver / launchDriver / DriverStateChanged
// / RequestKillDriver / RequestDriverStatus). Called with mu_ held.
#include <spdlog/spdlog.h>
#include <xxhash.h>

#include <cstdio>

#include "common/config_keys.h"
#include "master/master.h"
#include "master/scheduling.h"

namespace sluice::master {
namespace {

constexpr size_t kRetainedCompletedDrivers = 200;  // as spark.deploy.retainedDrivers
constexpr int64_t kMaxFetchChunk = int64_t{64} << 20;

// The hash the worker checks the fetched file against: XXH3-128 in describeAppFile's hex form.
std::string hashHex(const std::string& bytes) {
  XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

}  // namespace

void Master::onSubmitDriver(const Peer& from, const Envelope& env, rpc::SubmitDriver&& req) {
  rpc::SubmitDriverReply reply;
  if (req.app_bytes.empty() || req.driver_cores < 1 || req.driver_memory_mb < 0) {
    reply.error = "bad driver submission: the application bytes must be set, driver cores >= 1, memory >= 0";
    spdlog::warn("master: refused driver of {} from {}: {}", req.app_name, from.toString(), reply.error);
    transport_.reply(from, env, reply);
    return;
  }
  DriverInfo d;
  d.id = newId("driver", &next_driver_number_, &Master::driverIdTaken);
  d.app_hash = hashHex(req.app_bytes);
  d.submit_ms = wallMs();
  d.desc = std::move(req);
  spdlog::info("submitted driver {} ({}, {} bytes, {} cores, {} MB{})", d.id, d.desc.app_file_name,
               d.desc.app_bytes.size(), d.desc.driver_cores, d.desc.driver_memory_mb,
               d.desc.supervise ? ", supervised" : "");
  reply.ok = true;
  reply.driver_id = d.id;
  state_.waiting_drivers.push_back(d.id);
  persistDriver(state_.drivers[d.id] = std::move(d));
  transport_.reply(from, env, reply);
  schedule();
}

void Master::onFetchDriverApp(const Peer& from, const Envelope& env, const rpc::FetchDriverApp& req) {
  rpc::FetchDriverAppReply reply;
  auto it = state_.drivers.find(req.driver_id);
  if (it == state_.drivers.end()) {
    reply.error = "unknown driver " + req.driver_id;
  } else {
    const std::string& bytes = it->second.desc.app_bytes;
    const int64_t size = static_cast<int64_t>(bytes.size());
    if (req.offset < 0 || req.offset > size || req.length < 0) {
      reply.error = "bad range: offset " + std::to_string(req.offset) + " length " + std::to_string(req.length) +
                    " of " + std::to_string(size) + " bytes";
    } else {
      int64_t n = std::min({req.length, size - req.offset, kMaxFetchChunk});
      reply.bytes = bytes.substr(static_cast<size_t>(req.offset), static_cast<size_t>(n));
    }
  }
  if (!reply.error.empty()) spdlog::warn("master: fetch of driver app from {}: {}", from.toString(), reply.error);
  transport_.reply(from, env, reply);
}

void Master::onDriverStateChanged(const rpc::DriverStateChanged& msg) {
  auto it = state_.drivers.find(msg.driver_id);
  if (it == state_.drivers.end()) {
    spdlog::debug("state {} of driver {} that is no longer active", rpc::driverStateName(msg.state), msg.driver_id);
    return;
  }
  DriverInfo& d = it->second;
  d.message = msg.message;
  d.exit_code = msg.exit_code;
  switch (msg.state) {
    case rpc::DriverState::kRunning:
      d.state = rpc::DriverState::kRunning;
      persistDriver(d);
      return;
    case rpc::DriverState::kFailed:
    case rpc::DriverState::kFinished:
    case rpc::DriverState::kKilled:
    case rpc::DriverState::kError:
      spdlog::info("driver {} is {}: {}", d.id, rpc::driverStateName(msg.state), msg.message);
      finishAppsOfDriver(d.id, msg.state);
      if (msg.state == rpc::DriverState::kFailed && d.desc.supervise) {
        releaseDriver(d);
        relaunchDriver(d);
      } else {
        removeDriver(d.id, msg.state);
      }
      return;
    default:
      spdlog::warn("master: unexpected state {} for driver {}", rpc::driverStateName(msg.state), msg.driver_id);
  }
}

void Master::onDriverStatus(const Peer& from, const Envelope& env, const rpc::DriverStatusRequest& req) {
  rpc::DriverStatusReply reply;
  const DriverInfo* found = nullptr;
  if (auto it = state_.drivers.find(req.driver_id); it != state_.drivers.end()) found = &it->second;
  for (const DriverInfo& d : state_.completed_drivers) {
    if (d.id == req.driver_id) found = &d;
  }
  if (found) {
    reply.found = true;
    reply.state = found->state;
    reply.worker_id = found->worker_id;
    if (auto w = state_.workers.find(found->worker_id); w != state_.workers.end()) reply.worker_host = w->second.host;
    reply.message = found->message;
  } else {
    reply.message = "driver " + req.driver_id + " not found";
  }
  transport_.reply(from, env, reply);
}

void Master::onKillDriver(const Peer& from, const Envelope& env, const rpc::KillDriver& req) {
  rpc::KillDriverReply reply;
  auto it = state_.drivers.find(req.driver_id);
  if (it == state_.drivers.end()) {
    reply.message = "driver " + req.driver_id + " has already finished or does not exist";
  } else {
    DriverInfo& d = it->second;
    reply.ok = true;
    reply.message = "kill request for " + d.id + " submitted";
    spdlog::info("asked to kill driver {}", d.id);
    if (d.worker_id.empty()) {
      removeDriver(d.id, rpc::DriverState::kKilled);
    } else if (auto w = state_.workers.find(d.worker_id); w != state_.workers.end()) {
      // The worker reports KILLED when the process is gone; then the driver is removed.
      d.desc.supervise = false;
      notify(w->second.peer, rpc::KillDriver{d.id});
    }
  }
  transport_.reply(from, env, reply);
}

// Round robin over the ALIVE workers, as Spark places drivers before executors.
void Master::startDrivers() {
  std::vector<WorkerInfo*> alive;
  for (auto& [_, w] : state_.workers) {
    if (w.state == rpc::WorkerState::kAlive) alive.push_back(&w);
  }
  if (alive.empty()) return;
  const std::vector<std::string> waiting = state_.waiting_drivers;
  for (const std::string& id : waiting) {
    DriverInfo& d = state_.drivers.at(id);
    std::vector<WorkerSlot> slots;
    for (WorkerInfo* w : alive) slots.push_back({w->coresFree(), w->memoryFree()});
    auto pick = pickDriverWorker(slots, d.desc.driver_cores, d.desc.driver_memory_mb, next_driver_worker_ % alive.size());
    if (!pick) continue;
    next_driver_worker_ = *pick + 1;
    launchDriver(d, *alive[*pick]);
  }
}

void Master::launchDriver(DriverInfo& d, WorkerInfo& w) {
  std::erase(state_.waiting_drivers, d.id);
  d.worker_id = w.id;
  d.state = rpc::DriverState::kRunning;
  w.drivers.insert(d.id);
  w.cores_used += d.desc.driver_cores;
  w.memory_used_mb += d.desc.driver_memory_mb;
  persistDriver(d);
  spdlog::info("launching driver {} on worker {}", d.id, w.id);
  rpc::LaunchDriver launch;
  launch.driver_id = d.id;
  launch.app_file_name = d.desc.app_file_name;
  launch.app_hash = d.app_hash;
  launch.app_size = static_cast<int64_t>(d.desc.app_bytes.size());
  launch.app_args = d.desc.app_args;
  launch.conf = d.desc.conf;
  if (!launch.conf.contains(keys::kMaster)) launch.conf.set(keys::kMaster.name, url_);
  notify(w.peer, launch);
}

// A driver killed by its worker, or lost with it, never unregisters its application.
void Master::finishAppsOfDriver(const std::string& driver_id, rpc::DriverState driver_state) {
  const rpc::AppState state = driver_state == rpc::DriverState::kFinished ? rpc::AppState::kFinished
                              : driver_state == rpc::DriverState::kKilled ? rpc::AppState::kKilled
                                                                          : rpc::AppState::kFailed;
  std::vector<std::string> ids;
  for (const auto& [id, a] : state_.apps) {
    if (!driver_id.empty() && a.desc.driver_id == driver_id) ids.push_back(id);
  }
  for (const std::string& id : ids) {
    spdlog::info("application {} ends with its driver {}", id, driver_id);
    finishApplication(id, state);
  }
}

void Master::releaseDriver(DriverInfo& d) {
  auto w = state_.workers.find(d.worker_id);
  d.worker_id.clear();
  if (w == state_.workers.end() || !w->second.drivers.erase(d.id)) return;
  w->second.cores_used -= d.desc.driver_cores;
  w->second.memory_used_mb -= d.desc.driver_memory_mb;
}

void Master::relaunchDriver(DriverInfo& d) {
  spdlog::info("relaunching supervised driver {}", d.id);
  d.state = rpc::DriverState::kRelaunching;
  d.worker_id.clear();
  ++d.relaunches;
  state_.waiting_drivers.push_back(d.id);
  persistDriver(d);
  schedule();
}

void Master::removeDriver(std::string driver_id, rpc::DriverState state) {
  auto it = state_.drivers.find(driver_id);
  if (it == state_.drivers.end()) return;
  const std::string last_worker = it->second.worker_id;
  releaseDriver(it->second);
  DriverInfo d = std::move(it->second);
  d.worker_id = last_worker;  // shown on the status page and by DriverStatusRequest
  state_.drivers.erase(it);
  std::erase(state_.waiting_drivers, driver_id);
  d.state = state;
  d.desc.app_bytes.clear();  // completed drivers are only shown; keep memory small
  spdlog::info("driver {} removed ({})", driver_id, rpc::driverStateName(state));
  state_.completed_drivers.push_back(std::move(d));
  if (state_.completed_drivers.size() > kRetainedCompletedDrivers) {
    state_.completed_drivers.erase(state_.completed_drivers.begin());
  }
  unpersistDriver(driver_id);
  schedule();
}

}  // namespace sluice::master
