#include "executor/driver_link.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "common/app_loader.h"
#include "common/config_keys.h"
#include "rpc/streaming_messages.h"

namespace sluice {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

DriverLink::DriverLink(rpc::Transport& transport, std::string driver_endpoint, std::string executor_id,
                       DriverCommands& commands)
    : transport_(transport),
      driver_(rpc::Peer::dealer(std::move(driver_endpoint))),
      executor_id_(std::move(executor_id)),
      commands_(commands) {}

DriverLink::~DriverLink() { stop(); }

StatusOr<rpc::RegisterExecutorReply> DriverLink::registerWithDriver(const std::string& host,
                                                                    const std::string& block_endpoint, int cores) {
  rpc::RegisterExecutor reg{executor_id_, host, block_endpoint, cores, static_cast<int32_t>(::getpid())};
  constexpr auto kWait = 30s;
  auto answer = transport_.call(driver_, reg, kWait);
  if (!answer && answer.status().code() == StatusCode::kTimeout) {
    return Status::unavailable("no driver answered at " + driver_.id + " within " + std::to_string(kWait.count()) +
                               " s: can this host reach the driver's address (its driver.host)?");
  }
  if (!answer) return Status::unavailable("cannot register with driver " + driver_.id + ": " + answer.status().message());
  auto reply = rpc::decodeAs<rpc::RegisterExecutorReply>(*answer);
  if (!reply) return reply.status();
  if (!reply->ok) return Status::aborted("driver refused executor " + executor_id_ + ": " + reply->error);
  return reply;
}

StatusOr<std::string> DriverLink::fetchBytes(const std::string& hash, int64_t size, const std::string& what) {
  constexpr int64_t kChunk = 8 << 20;
  std::string bytes;
  while (static_cast<int64_t>(bytes.size()) < size) {
    int64_t len = std::min(kChunk, size - static_cast<int64_t>(bytes.size()));
    auto r = transport_.call(driver_, rpc::FetchApp{hash, static_cast<int64_t>(bytes.size()), len}, 30s);
    if (!r) return Status::unavailable("cannot fetch " + what + ": " + r.status().message());
    auto chunk = rpc::decodeAs<rpc::FetchAppReply>(*r);
    if (!chunk) return chunk.status();
    if (!chunk->error.empty()) return Status::aborted("driver could not send " + what + ": " + chunk->error);
    if (chunk->bytes.empty()) return Status::corruption("driver sent an empty chunk of " + what);
    bytes += chunk->bytes;
  }
  return bytes;
}

// Writes bytes to file through a temporary file of this process, renamed into place once its
// hash is checked.
static Status writeChecked(const fs::path& file, const std::string& bytes, const std::string& hash,
                           const std::string& what) {
  fs::path tmp = file;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::ioError("cannot write " + tmp.string());
  }
  std::error_code ec;
  auto got = describeAppFile(tmp.string());
  if (!got || got->hash != hash) {
    fs::remove(tmp, ec);
    return Status::corruption(what + " from the driver does not match hash " + hash);
  }
  fs::rename(tmp, file, ec);
  if (ec) return Status::ioError("cannot move " + tmp.string() + " to " + file.string() + ": " + ec.message());
  return Status::ok();
}

Status DriverLink::fetchApp(const rpc::RegisterExecutorReply& reply, const std::string& work_dir) {
  fs::path dir = fs::path(work_dir) / "apps";
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::path file = dir / ("app-" + reply.app_hash + ".so");
  auto existing = describeAppFile(file.string());
  if (!existing || existing->hash != reply.app_hash) {
    auto bytes = fetchBytes(reply.app_hash, reply.app_size, "the application");
    if (!bytes) return bytes.status();
    SLUICE_RETURN_IF_ERROR(writeChecked(file, *bytes, reply.app_hash, "the application"));
    spdlog::info("fetched application {} ({} bytes)", reply.app_hash, reply.app_size);
  }
  auto handle = loadAppLibrary(file.string());
  return handle ? Status::ok() : handle.status();
}

Status DriverLink::fetchFiles(const rpc::RegisterExecutorReply& reply, const std::string& work_dir) {
  for (const auto& f : reply.files) {
    if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == "." || f.name == "..") {
      return Status::invalidArgument("the driver ships a file with a bad name '" + f.name + "'");
    }
    auto bytes = fetchBytes(f.hash, f.size, "file " + f.name);
    if (!bytes) return bytes.status();
    SLUICE_RETURN_IF_ERROR(writeChecked(fs::path(work_dir) / f.name, *bytes, f.hash, "file " + f.name));
    spdlog::info("fetched file {} ({} bytes) into {}", f.name, f.size, work_dir);
  }
  return Status::ok();
}

StatusOr<std::string> DriverLink::fetchBroadcast(int64_t id) {
  auto r = transport_.call(driver_, rpc::FetchBroadcast{id}, 60s);
  if (!r) return r.status();
  auto b = rpc::decodeAs<rpc::FetchBroadcastReply>(*r);
  if (!b) return b.status();
  if (!b->found) return Status::notFound("broadcast " + std::to_string(id) + " is not on the driver");
  return std::move(b->bytes);
}

void DriverLink::reportStatus(rpc::TaskStatus status) {
  // Bounds a TaskStatuses frame: at most (tasks in flight here) x this, far below the frame
  // limit; a larger result goes in a frame of its own.
  constexpr size_t kBatchableBytes = 64 << 10;
  if (status.result.size() + status.error.size() > kBatchableBytes) {
    transport_.send(driver_, status);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(outbox_mu_);
    outbox_.push_back(std::move(status));
    if (batch_posted_) return;  // the queued batch will take this one too
    batch_posted_ = true;
  }
  transport_.sendComposed(driver_, [this] { return takeStatusBatch(); });
}

std::string DriverLink::takeStatusBatch() {
  rpc::TaskStatuses batch;
  {
    std::lock_guard<std::mutex> lock(outbox_mu_);
    batch.statuses.swap(outbox_);
    batch_posted_ = false;
  }
  return batch.statuses.empty() ? std::string() : rpc::encode(batch);
}

bool DriverLink::handle(const rpc::Peer& from, const rpc::Envelope& msg) {
  switch (msg.tag) {
    case rpc::MessageTag::kLaunchTask:
    case rpc::MessageTag::kLaunchTasks:
    case rpc::MessageTag::kKillTask:
    case rpc::MessageTag::kMapOutputsAvailable:
    case rpc::MessageTag::kReleaseStage:
    case rpc::MessageTag::kRemoveBlocks:
    case rpc::MessageTag::kStopReceiver:
    case rpc::MessageTag::kUpdateRateLimit:
    case rpc::MessageTag::kStopExecutor:
      // Only the driver, over the connection this executor opened to it (CURVE-authenticated
      // with auth.enabled), commands it; the block server's port takes block requests only.
      if (!(from == driver_)) {
        transport_.reportMalformed(from, std::string(rpc::tagName(msg.tag)) + " from a peer that is not executor " +
                                             executor_id_ + "'s driver (" + driver_.id + "); refused");
        return true;
      }
      break;
    default:
      return false;
  }
  switch (msg.tag) {
    case rpc::MessageTag::kLaunchTask:
      if (auto task = rpc::decodeAs<rpc::LaunchTask>(msg)) {
        std::vector<rpc::LaunchTask> one;
        one.push_back(std::move(*task));
        commands_.launchTasks(std::move(one));
      } else {
        transport_.reportMalformed(from, task.status().message());
      }
      return true;
    case rpc::MessageTag::kLaunchTasks:
      if (auto batch = rpc::decodeAs<rpc::LaunchTasks>(msg)) {
        commands_.launchTasks(std::move(batch->tasks));
      } else {
        transport_.reportMalformed(from, batch.status().message());
      }
      return true;
    case rpc::MessageTag::kKillTask:
      if (auto kill = rpc::decodeAs<rpc::KillTask>(msg)) {
        commands_.killTask(*kill);
      } else {
        transport_.reportMalformed(from, kill.status().message());
      }
      return true;
    case rpc::MessageTag::kMapOutputsAvailable:
      if (auto outputs = rpc::decodeAs<rpc::MapOutputsAvailable>(msg)) {
        commands_.mapOutputsAvailable(std::move(*outputs));
      } else {
        transport_.reportMalformed(from, outputs.status().message());
      }
      return true;
    case rpc::MessageTag::kReleaseStage:
      if (auto r = rpc::decodeAs<rpc::ReleaseStage>(msg)) commands_.releaseStage(r->stage_id, r->stage_attempt);
      return true;
    case rpc::MessageTag::kRemoveBlocks:
      if (auto r = rpc::decodeAs<rpc::RemoveBlocks>(msg)) {
        commands_.removeBlocks(*r);
      } else {
        transport_.reportMalformed(from, r.status().message());
      }
      return true;
    case rpc::MessageTag::kStopReceiver:
      if (auto r = rpc::decodeAs<rpc::StopReceiver>(msg)) {
        commands_.stopReceiver(r->stream_id, r->reason);
      } else {
        transport_.reportMalformed(from, r.status().message());
      }
      return true;
    case rpc::MessageTag::kUpdateRateLimit:
      if (auto r = rpc::decodeAs<rpc::UpdateRateLimit>(msg)) {
        commands_.updateReceiverRateLimit(r->stream_id, r->records_per_second);
      } else {
        transport_.reportMalformed(from, r.status().message());
      }
      return true;
    case rpc::MessageTag::kStopExecutor: {
      auto r = rpc::decodeAs<rpc::StopExecutor>(msg);
      commands_.stopExecutor(r ? r->reason : "");
      return true;
    }
    default:
      return false;
  }
}

void DriverLink::startHeartbeats(const Conf& conf) {
  heartbeat_ = std::thread([this, &conf] { heartbeatLoop(conf); });
}

void DriverLink::heartbeatLoop(const Conf& conf) {
  auto interval = conf.get(keys::kExecutorHeartbeatInterval);
  auto driver_timeout = conf.get(keys::kExecutorDriverTimeout);
  auto last_ok = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, interval, [&] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    auto r = transport_.call(driver_, rpc::ExecutorHeartbeat{executor_id_}, interval * 2);
    lock.lock();
    if (r) {
      last_ok = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_ok > driver_timeout) {
      spdlog::error("executor {}: driver {} lost ({}); exiting", executor_id_, driver_.id, r.status().message());
      stopping_ = true;
      lock.unlock();
      commands_.driverLost(r.status().message());
      return;
    }
  }
}

void DriverLink::requestStop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  cv_.notify_all();
}

void DriverLink::stop() {
  requestStop();
  if (heartbeat_.joinable()) heartbeat_.join();
}

}  // namespace sluice
