// The executor's side of the streaming receiver protocol (rpc/streaming_messages.h):
// receiver sinks, StopReceiver, and serving and replicating received blocks.
#include <spdlog/spdlog.h>

#include "executor/executor.h"
#include "rpc/streaming_messages.h"
#include "wal/wal_options.h"

namespace sluice {
using namespace std::chrono_literals;

std::shared_ptr<ReceiverSink> Executor::openReceiver(int stream_id, int replication) {
  ReceiverSinkOptions o;
  o.stream_id = stream_id;
  o.replication = replication;
  o.executor_id = options_.executor_id;
  o.host = options_.host;
  o.block_endpoint = block_endpoint_;
  o.block_interval = conf_.getDuration("streaming.blockInterval", 200ms);
  if (o.block_interval < 1ms) o.block_interval = 1ms;
  if (auto wal_options = wal::WalOptions::fromConf(conf_)) {
    o.wal_options = *wal_options;
  } else {
    spdlog::warn("receiver {}: {}; the receiver WAL uses the default options", stream_id, wal_options.status().message());
  }
  // The driver answers with the executors that can hold replicas.
  auto answer = transport_.call(driver_, rpc::RegisterReceiver{stream_id, options_.executor_id, options_.host}, 30s);
  auto reply = answer ? rpc::decodeAs<rpc::RegisterReceiverReply>(*answer) : StatusOr<rpc::RegisterReceiverReply>(answer.status());
  if (!reply) {
    spdlog::warn("receiver {}: registering with the driver failed: {}", stream_id, reply.status().message());
  } else {
    o.peers = std::move(reply->peers);
    o.resume_position = std::move(reply->resume_position);
  }
  auto sink = std::make_shared<ReceiverSinkImpl>(o, *blocks_, transport_, driver_);
  bool stopping;
  {
    std::lock_guard<std::mutex> lock(mu_);
    receivers_[stream_id] = sink;
    stopping = stopping_;
  }
  if (stopping) sink->requestStop("the executor is stopping");
  return sink;
}

void Executor::stopReceivers(const std::string& why, int stream_id) {
  std::vector<std::shared_ptr<ReceiverSinkImpl>> sinks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = receivers_.begin(); it != receivers_.end();) {
      auto sink = it->second.lock();
      if (!sink) {
        it = receivers_.erase(it);
        continue;
      }
      if (stream_id < 0 || it->first == stream_id) sinks.push_back(std::move(sink));
      ++it;
    }
  }
  for (auto& sink : sinks) sink->requestStop(why);
}

std::shared_ptr<const std::string> Executor::fetchRemoteBlock(const std::string& endpoint,
                                                              const std::string& block_id) {
  auto answer = transport_.call(rpc::Peer::dealer(endpoint), rpc::FetchStreamBlock{block_id}, 30s);
  if (!answer) {
    spdlog::warn("cannot fetch block {} from {}: {}", block_id, endpoint, answer.status().message());
    return nullptr;
  }
  auto reply = rpc::decodeAs<rpc::FetchStreamBlockReply>(*answer);
  if (!reply || !reply->found) return nullptr;
  return std::make_shared<const std::string>(std::move(reply->bytes));
}

void Executor::handleStreaming(const rpc::Peer& from, rpc::Envelope&& msg) {
  switch (msg.tag) {
    case rpc::MessageTag::kStopReceiver: {
      auto r = rpc::decodeAs<rpc::StopReceiver>(msg);
      if (!r) {
        transport_.reportMalformed(from, r.status().message());
        return;
      }
      stopReceivers(r->reason, r->stream_id);
      return;
    }
    case rpc::MessageTag::kFetchStreamBlock: {
      rpc::FetchStreamBlockReply reply;
      if (auto r = rpc::decodeAs<rpc::FetchStreamBlock>(msg)) {
        if (auto block = blocks_->getBlock(r->block_id)) {
          reply.found = true;
          reply.bytes = *block;
        }
      } else {
        transport_.reportMalformed(from, r.status().message());
      }
      transport_.reply(from, msg, reply);
      return;
    }
    case rpc::MessageTag::kReplicateBlock: {
      rpc::AddBlockReply reply;
      if (auto r = rpc::decodeAs<rpc::ReplicateBlock>(msg)) {
        blocks_->putBlock(r->block_id, std::make_shared<const std::string>(std::move(r->bytes)));
        reply.ok = true;
      } else {
        transport_.reportMalformed(from, r.status().message());
        reply.error = r.status().message();
      }
      transport_.reply(from, msg, reply);
      return;
    }
    default:
      return;
  }
}

}  // namespace sluice
