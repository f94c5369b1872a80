#include "streaming/receiver/receiver_sink_impl.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "rpc/streaming_messages.h"

namespace sluice {

ReceiverSinkImpl::ReceiverSinkImpl(ReceiverSinkOptions options, BlockManager& blocks, rpc::Transport& transport,
                                   rpc::Peer driver)
    : options_(std::move(options)),
      blocks_(blocks),
      transport_(transport),
      driver_(std::move(driver)),
      rate_limit_(clock_, static_cast<double>(options_.rate_limits.startingLimit())),
      incarnation_(SystemClock().nowMs()) {
  if (rate_limit_.rate() > 0) {
    spdlog::info("receiver {}: stores at most {} records per second", options_.stream_id, rateLimit());
  }
}

void ReceiverSinkImpl::updateRateLimit(int64_t records_per_second) {
  if (records_per_second <= 0) return;
  int64_t limit = options_.rate_limits.capped(records_per_second);
  int64_t before = rateLimit();
  rate_limit_.setRate(static_cast<double>(limit));
  if (limit != before) {
    spdlog::debug("receiver {}: rate limit {} -> {} records per second", options_.stream_id, before, limit);
  }
}

Status ReceiverSinkImpl::pushBlock(std::string bytes, int64_t num_records, std::string position) {
  rpc::AddBlock add;
  rpc::ReceivedBlockInfo& block = add.block;
  block.stream_id = options_.stream_id;
  block.block_id = "input-" + std::to_string(options_.stream_id) + "-" + std::to_string(incarnation_) + "-" +
                   std::to_string(next_block_++);
  block.executor_id = options_.executor_id;
  block.host = options_.host;
  block.endpoint = options_.block_endpoint;
  block.num_records = num_records;
  block.bytes = static_cast<int64_t>(bytes.size());
  block.position = std::move(position);
  if (wal_) {
    auto handle = wal_->write(bytes, SystemClock().nowMs());
    if (!handle) {
      return Status::ioError("cannot write block " + block.block_id + " to the receiver WAL: " +
                             handle.status().message());
    }
    block.wal_dir = wal_->dir();
    block.wal_handle = std::move(*handle);
  }
  auto shared = block_buffers_->share(std::move(bytes));
  blocks_.putBlock(block.block_id, shared);
  // With the WAL on the block is already safe: a second in-memory copy is optional (Spark
  // warns about the waste); keep it only when asked for explicitly.
  if (options_.replication > 1 && !wal_) replicate(shared, block);
  auto answer = transport_.call(driver_, add, options_.report_timeout);
  if (!answer) {
    blocks_.removeBlock(block.block_id);
    return Status::unavailable("cannot report block " + block.block_id + " to the driver: " +
                               answer.status().message());
  }
  auto reply = rpc::decodeAs<rpc::AddBlockReply>(*answer);
  if (!reply) return reply.status();
  if (!reply->ok) {
    blocks_.removeBlock(block.block_id);
    return Status::aborted("the driver refused block " + block.block_id + ": " + reply->error);
  }
  spdlog::debug("receiver {}: stored block {} ({} records, {} bytes)", options_.stream_id, block.block_id, num_records,
                block.bytes);
  return Status::ok();
}

Status ReceiverSinkImpl::enableWriteAheadLog(const std::string& dir) {
  std::string own = dir + "/" + options_.executor_id + "-" + std::to_string(incarnation_);
  auto wal = wal::WriteAheadLog::open(own, options_.wal_options);
  if (!wal) return Status::ioError("cannot open the receiver WAL in " + own + ": " + wal.status().message());
  wal_ = std::move(*wal);
  spdlog::info("receiver {}: write-ahead log in {} (fsync {}){}", options_.stream_id, own,
               wal::fsyncPolicyName(options_.wal_options.fsync),
               options_.replication > 1 ? "; blocks are not replicated to a second executor, the WAL keeps them" : "");
  return Status::ok();
}

void ReceiverSinkImpl::replicate(const std::shared_ptr<const std::string>& bytes, rpc::ReceivedBlockInfo& block) {
  std::vector<const rpc::ReceiverPeer*> order;
  for (const auto& p : options_.peers)
    if (p.host != options_.host) order.push_back(&p);
  for (const auto& p : options_.peers)
    if (p.host == options_.host) order.push_back(&p);
  for (const rpc::ReceiverPeer* peer : order) {
    auto answer = transport_.call(rpc::Peer::dealer(peer->endpoint), rpc::ReplicateBlock{block.block_id, *bytes},
                                  options_.report_timeout);
    auto reply = answer ? rpc::decodeAs<rpc::AddBlockReply>(*answer) : StatusOr<rpc::AddBlockReply>(answer.status());
    if (reply && reply->ok) {
      block.replica_executor_id = peer->executor_id;
      block.replica_endpoint = peer->endpoint;
      return;
    }
    spdlog::warn("receiver {}: cannot replicate block {} to executor {}: {}", options_.stream_id, block.block_id,
                 peer->executor_id, reply ? reply->error : reply.status().message());
  }
  if (!warned_unreplicated_) {
    warned_unreplicated_ = true;
    spdlog::warn("receiver {}: {} copies of each block asked for, but no other executor took one; blocks are kept "
                 "here only",
                 options_.stream_id, options_.replication);
  }
}

void ReceiverSinkImpl::reportError(const std::string& message) {
  transport_.send(driver_, rpc::ReceiverError{options_.stream_id, options_.executor_id, message});
}

bool ReceiverSinkImpl::waitForStop(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return stop_.load(); });
}

void ReceiverSinkImpl::requestStop(const std::string& why) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_.exchange(true)) return;
  }
  spdlog::info("receiver {} asked to stop: {}", options_.stream_id, why);
  cv_.notify_all();
}

}  // namespace sluice
