#include "driver/coarse_grained_scheduler_backend.h"

#include <spdlog/spdlog.h>

#include "common/app_loader.h"
#include "common/auth_secret.h"
#include "common/config_keys.h"
#include "rpc/transport_options.h"

namespace sluice {
using namespace std::chrono_literals;

CoarseGrainedSchedulerBackend::CoarseGrainedSchedulerBackend(const Conf& conf, ServedApp app)
    : conf_(conf), app_(std::move(app)), transport_("driver", rpc::transportOptions(conf_)) {}

CoarseGrainedSchedulerBackend::~CoarseGrainedSchedulerBackend() { stop(); }

StatusOr<std::string> CoarseGrainedSchedulerBackend::start(const std::string& host, int port,
                                                           TaskScheduler* scheduler) {
  scheduler_ = scheduler;
  auto bound = transport_.bind("tcp://" + host + ":" + std::to_string(port));
  if (!bound) return bound.status();
  transport_.setHandler([this](const rpc::Peer& from, rpc::Envelope&& msg) { handle(from, std::move(msg)); });
  transport_.start();
  monitor_ = std::thread([this] { monitorHeartbeats(); });
  return bound;
}

void CoarseGrainedSchedulerBackend::stop() {
  std::map<std::string, ExecutorEntry> executors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    executors = executors_;
    cv_.notify_all();
  }
  for (auto& [id, e] : executors) transport_.send(e.peer, rpc::StopExecutor{"application finished"});
  if (monitor_.joinable()) monitor_.join();
  // Give the stop messages a moment to leave before the sockets close.
  std::this_thread::sleep_for(executors.empty() ? 0ms : 50ms);
  transport_.stop();
}

void CoarseGrainedSchedulerBackend::handle(const rpc::Peer& from, rpc::Envelope&& msg) {
  switch (msg.tag) {
    case rpc::MessageTag::kRegisterExecutor:
      onRegister(from, msg);
      return;
    case rpc::MessageTag::kTaskStatus: {
      auto status = rpc::decodeAs<rpc::TaskStatus>(msg);
      if (!status) {
        transport_.reportMalformed(from, status.status().message());
        return;
      }
      scheduler_->statusUpdate(std::move(*status));
      return;
    }
    case rpc::MessageTag::kTaskStatuses: {
      auto batch = rpc::decodeAs<rpc::TaskStatuses>(msg);
      if (!batch) {
        transport_.reportMalformed(from, batch.status().message());
        return;
      }
      scheduler_->statusUpdates(std::move(batch->statuses));
      return;
    }
    case rpc::MessageTag::kExecutorHeartbeat: {
      auto hb = rpc::decodeAs<rpc::ExecutorHeartbeat>(msg);
      bool known = false;
      if (hb) {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = executors_.find(hb->executor_id);
        if (it != executors_.end()) {
          it->second.last_heartbeat = std::chrono::steady_clock::now();
          known = true;
        }
      }
      if (known) transport_.reply(from, msg, rpc::ExecutorHeartbeat{hb->executor_id});
      return;
    }
    case rpc::MessageTag::kFetchApp:
      onFetchApp(from, msg);
      return;
    case rpc::MessageTag::kFetchBroadcast:
      onFetchBroadcast(from, msg);
      return;
    case rpc::MessageTag::kMasterChanged:
      // The app client re-registers with the restarted master on its next beat.
      spdlog::info("driver: the master restarted");
      return;
    default: {
      RawHandler handler;
      {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = handlers_.find(msg.tag);
        if (it != handlers_.end()) handler = it->second;
      }
      if (handler) {
        handler(from, std::move(msg));
      } else {
        spdlog::warn("driver: unexpected message {} from {}", rpc::tagName(msg.tag), from.toString());
      }
    }
  }
}

Status CoarseGrainedSchedulerBackend::addHandler(rpc::MessageTag tag, RawHandler handler) {
  // The kinds handle() takes itself, before any registered handler.
  static const std::set<rpc::MessageTag> kOwnKinds = {
      rpc::MessageTag::kRegisterExecutor, rpc::MessageTag::kTaskStatus, rpc::MessageTag::kTaskStatuses,
      rpc::MessageTag::kExecutorHeartbeat,
      rpc::MessageTag::kFetchApp,         rpc::MessageTag::kFetchBroadcast, rpc::MessageTag::kMasterChanged};
  std::lock_guard<std::mutex> lock(mu_);
  if (kOwnKinds.count(tag) || handlers_.count(tag)) {
    return Status::invalidArgument(std::string("the driver already has a handler for ") + rpc::tagName(tag));
  }
  handlers_[tag] = std::move(handler);
  return Status::ok();
}

void CoarseGrainedSchedulerBackend::removeHandler(rpc::MessageTag tag) {
  std::lock_guard<std::mutex> lock(mu_);
  handlers_.erase(tag);
}

std::vector<rpc::ReceiverPeer> CoarseGrainedSchedulerBackend::executors() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<rpc::ReceiverPeer> out;
  for (const auto& [id, e] : executors_) out.push_back({id, e.host, e.block_endpoint});
  return out;
}

std::vector<rpc::Peer> CoarseGrainedSchedulerBackend::executorPeers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<rpc::Peer> peers;
  for (const auto& [id, e] : executors_) peers.push_back(e.peer);
  return peers;
}

std::optional<rpc::Peer> CoarseGrainedSchedulerBackend::executorPeer(const std::string& executor_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executors_.find(executor_id);
  if (it == executors_.end()) return std::nullopt;
  return it->second.peer;
}

void CoarseGrainedSchedulerBackend::onRegister(const rpc::Peer& from, const rpc::Envelope& msg) {
  auto reg = rpc::decodeAs<rpc::RegisterExecutor>(msg);
  if (!reg) {
    spdlog::warn("driver: bad executor registration from {}: {}", from.toString(), reg.status().message());
    return;
  }
  rpc::RegisterExecutorReply reply;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (executors_.count(reg->executor_id) || lost_.count(reg->executor_id)) {
      reply.error = "duplicate executor id " + reg->executor_id;
    } else if (stopping_) {
      reply.error = "application is stopping";
    } else {
      reply.ok = true;
      executors_[reg->executor_id] = {from, reg->host, reg->block_endpoint, {}, std::chrono::steady_clock::now()};
    }
  }
  if (!reply.ok) {
    spdlog::warn("driver: refused executor {}: {}", reg->executor_id, reply.error);
    transport_.reply(from, msg, reply);
    return;
  }
  reply.app_id = app_.app_id;
  reply.app_hash = app_.hash;
  reply.app_size = app_.size;
  reply.conf = auth::withoutSecret(conf_);  // executors have the secret from their worker
  for (const auto& f : app_.files) reply.files.push_back(f.file);
  transport_.reply(from, msg, reply);
  scheduler_->executorAdded({reg->executor_id, reg->host, reg->block_endpoint, reg->cores});
  cv_.notify_all();
}

std::string CoarseGrainedSchedulerBackend::servedPath(const std::string& hash) const {
  if (hash.empty()) return "";
  if (hash == app_.hash) return app_.path;
  for (const auto& f : app_.files) {
    if (f.file.hash == hash) return f.path;
  }
  return "";
}

void CoarseGrainedSchedulerBackend::onFetchApp(const rpc::Peer& from, const rpc::Envelope& msg) {
  rpc::FetchAppReply reply;
  auto req = rpc::decodeAs<rpc::FetchApp>(msg);
  if (!req) {
    reply.error = req.status().message();
  } else if (std::string path = servedPath(req->app_hash); path.empty()) {
    reply.error = "unknown application or file " + req->app_hash;
  } else {
    auto bytes = readFileRange(path, req->offset, std::min<int64_t>(req->length, 64 << 20));
    if (bytes) reply.bytes = std::move(*bytes);
    else reply.error = bytes.status().message();
  }
  transport_.reply(from, msg, reply);
}

void CoarseGrainedSchedulerBackend::onFetchBroadcast(const rpc::Peer& from, const rpc::Envelope& msg) {
  rpc::FetchBroadcastReply reply;
  if (auto req = rpc::decodeAs<rpc::FetchBroadcast>(msg)) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = broadcasts_.find(req->id);
    if (it != broadcasts_.end()) {
      reply.found = true;
      reply.bytes = it->second;
    }
  }
  transport_.reply(from, msg, reply);
}

void CoarseGrainedSchedulerBackend::launchTask(const std::string& executor_id, const TaskDescription& task) {
  launchTasks(executor_id, {task});
}

void CoarseGrainedSchedulerBackend::launchTasks(const std::string& executor_id,
                                                const std::vector<TaskDescription>& tasks) {
  rpc::LaunchTasks batch;
  batch.tasks.resize(tasks.size());
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executors_.find(executor_id);
  if (it == executors_.end()) return;  // lost meanwhile: the scheduler re-queues them
  for (size_t i = 0; i < tasks.size(); ++i) {
    const TaskDescription& task = tasks[i];
    rpc::LaunchTask& launch = batch.tasks[i];
    launch.task_id = task.task_id;
    launch.stage_id = task.stage_id;
    launch.stage_attempt = task.stage_attempt;
    launch.partition = task.partition;
    launch.attempt = task.attempt;
    if (it->second.stages.insert({task.stage_id, task.stage_attempt}).second) launch.stage = *task.binary;
  }
  // Sent under the lock: the launch with the stage's binary must leave first.
  transport_.send(it->second.peer, batch);
}

void CoarseGrainedSchedulerBackend::releaseStage(int stage_id, int stage_attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, e] : executors_) {
    if (e.stages.erase({stage_id, stage_attempt})) transport_.send(e.peer, rpc::ReleaseStage{stage_id, stage_attempt});
  }
}

void CoarseGrainedSchedulerBackend::killTask(const std::string& executor_id, int64_t task_id,
                                             const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executors_.find(executor_id);
  if (it != executors_.end()) transport_.send(it->second.peer, rpc::KillTask{task_id, reason});
}

void CoarseGrainedSchedulerBackend::sendMapOutputs(const std::string& executor_id,
                                                   const rpc::MapOutputsAvailable& outputs) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executors_.find(executor_id);
  if (it != executors_.end()) transport_.send(it->second.peer, outputs);
}

void CoarseGrainedSchedulerBackend::addBroadcast(int64_t id, std::string bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  broadcasts_[id] = std::move(bytes);
}

void CoarseGrainedSchedulerBackend::removeBroadcast(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  broadcasts_.erase(id);
}

void CoarseGrainedSchedulerBackend::executorExited(const std::string& executor_id, const std::string& reason) {
  removeExecutor(executor_id, reason);
}

void CoarseGrainedSchedulerBackend::removeExecutor(const std::string& executor_id, const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    lost_.insert(executor_id);
    // Executors leaving after stop() are expected, not lost.
    if (!executors_.erase(executor_id) || stopping_) return;
  }
  scheduler_->executorLost(executor_id, reason);
}

bool CoarseGrainedSchedulerBackend::waitForExecutors(int n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return static_cast<int>(executors_.size()) >= n; });
}

int CoarseGrainedSchedulerBackend::registeredExecutors() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(executors_.size());
}

void CoarseGrainedSchedulerBackend::monitorHeartbeats() {
  auto timeout = conf_.get(keys::kExecutorHeartbeatTimeout);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::min<std::chrono::milliseconds>(timeout / 4, 1000ms));
    auto now = std::chrono::steady_clock::now();
    std::vector<std::string> dead;
    for (auto& [id, e] : executors_) {
      if (now - e.last_heartbeat > timeout) dead.push_back(id);
    }
    lock.unlock();
    for (auto& id : dead) removeExecutor(id, "no heartbeat for " + std::to_string(timeout.count()) + " ms");
    lock.lock();
  }
}

}  // namespace sluice
