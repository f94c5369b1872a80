#include "executor/executor.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "rdd/broadcast.h"
#include "rpc/frame_limit.h"

namespace sluice {
namespace fs = std::filesystem;

namespace {

ExecutorOptions withWorkDir(ExecutorOptions options) {
  if (options.work_dir.empty()) options.work_dir = fs::temp_directory_path() / ("sluice-executor-" + options.executor_id);
  return options;
}

}  // namespace

Executor::Executor(ExecutorOptions options)
    : options_(withWorkDir(std::move(options))),
      transport_("executor " + options_.executor_id, options_.transport),
      blocks_(options_.work_dir + "/blocks", options_.memory_bytes / 2),
      block_server_(blocks_, transport_),
      shuffle_(options_.executor_id, blocks_, transport_, conf_),
      driver_(transport_, options_.driver_endpoint, options_.executor_id, *this),
      services_{options_.executor_id, &blocks_, &shuffle_, nullptr},
      runner_(services_, driver_) {}

Executor::~Executor() { stop(); }

Status Executor::start() {
  auto bound = transport_.bind("tcp://" + options_.host + ":0");
  if (!bound) return bound.status();
  const std::string& block_endpoint = *bound;
  if (auto factory = receiverHostFactory()) {
    receivers_ = factory(ReceiverHostEnv{options_.executor_id, options_.host, block_endpoint, conf_, blocks_,
                                         transport_, driver_.driver()});
    services_.receivers = receivers_.get();
  }
  transport_.setHandler([this](const rpc::Peer& from, rpc::Envelope&& msg) { handle(from, std::move(msg)); });
  transport_.start();

  auto reply = driver_.registerWithDriver(options_.host, block_endpoint, options_.cores);
  if (!reply) return reply.status();
  conf_ = reply->conf;
  // shuffle.memoryLimit: the shuffle output kept in memory before spilling (half the executor's memory).
  if (conf_.contains(keys::kShuffleMemoryLimit)) blocks_.setMemoryLimit(conf_.get(keys::kShuffleMemoryLimit, 0));
  transport_.setMaxFrameBytes(rpc::maxFrameBytes(conf_));
  if (!options_.in_process) {
    SLUICE_RETURN_IF_ERROR(driver_.fetchApp(*reply, options_.work_dir));
    SLUICE_RETURN_IF_ERROR(driver_.fetchFiles(*reply, options_.work_dir));
  }

  BroadcastCache::instance().setFetcher([this](int64_t id) { return driver_.fetchBroadcast(id); });
  runner_.start(options_.cores);
  driver_.startHeartbeats(conf_);
  spdlog::info("executor {} registered with {} ({} cores, blocks at {})", options_.executor_id,
               options_.driver_endpoint, options_.cores, block_endpoint);
  return Status::ok();
}

void Executor::handle(const rpc::Peer& from, rpc::Envelope&& msg) {
  if (block_server_.handle(from, msg) || driver_.handle(from, msg)) return;
  spdlog::warn("executor {}: unexpected message {} from {}", options_.executor_id, rpc::tagName(msg.tag),
               from.toString());
}

void Executor::removeBlocks(const rpc::RemoveBlocks& r) {
  for (int s : r.shuffle_ids) blocks_.removeShuffle(s);
  for (int id : r.rdd_ids) blocks_.removeRdd(id);
  for (const auto& id : r.block_ids) blocks_.removeBlock(id);
  if (!options_.in_process) {  // in-process, the cache is the driver's: it removes the values itself
    for (int64_t id : r.broadcast_ids) BroadcastCache::instance().remove(id);
  }
  spdlog::debug("executor {} removed {} shuffles, {} RDDs, {} blocks, {} broadcasts", options_.executor_id,
                r.shuffle_ids.size(), r.rdd_ids.size(), r.block_ids.size(), r.broadcast_ids.size());
}

void Executor::stopReceiver(int stream_id, const std::string& reason) {
  if (receivers_) receivers_->stopReceiver(stream_id, reason);
}

void Executor::updateReceiverRateLimit(int stream_id, int64_t records_per_second) {
  if (receivers_) receivers_->updateRateLimit(stream_id, records_per_second);
}

void Executor::stopExecutor(const std::string& reason) {
  spdlog::info("executor {} asked to stop: {}", options_.executor_id, reason);
  requestStop();
}

void Executor::driverLost(const std::string&) { requestStop(); }

void Executor::requestStop() {
  if (receivers_) receivers_->stopAll("the executor is stopping");
  runner_.requestStop();
  driver_.requestStop();
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  cv_.notify_all();
}

void Executor::awaitTermination() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return stopping_; });
}

void Executor::stop() {
  requestStop();
  runner_.stop();
  driver_.stop();
  transport_.stop();
}

}  // namespace sluice
