#include "executor/block_server.h"

#include "rpc/executor_messages.h"
#include "rpc/streaming_messages.h"

namespace sluice {

bool BlockServer::handle(const rpc::Peer& from, const rpc::Envelope& msg) {
  switch (msg.tag) {
    case rpc::MessageTag::kFetchBlocks:
      serveShuffleBlocks(from, msg);
      return true;
    case rpc::MessageTag::kFetchStreamBlock:
      serveStreamBlock(from, msg);
      return true;
    case rpc::MessageTag::kReplicateBlock:
      storeReplica(from, msg);
      return true;
    default:
      return false;
  }
}

void BlockServer::serveShuffleBlocks(const rpc::Peer& from, const rpc::Envelope& msg) {
  rpc::FetchBlocksReply reply;
  auto req = rpc::decodeAs<rpc::FetchBlocks>(msg);
  if (!req) {
    transport_.reportMalformed(from, req.status().message());
    reply.error = req.status().message();
  } else {
    for (int map_id : req->map_ids) {
      auto bucket = blocks_.getShuffleBucket(req->shuffle_id, map_id, req->reduce_id);
      if (!bucket) {
        reply.error = bucket.status().message();
        reply.missing_map_id = map_id;
        reply.blocks.clear();
        break;
      }
      reply.blocks.push_back(std::move(*bucket));
    }
  }
  transport_.reply(from, msg, reply);
}

void BlockServer::serveStreamBlock(const rpc::Peer& from, const rpc::Envelope& msg) {
  rpc::FetchStreamBlockReply reply;
  if (auto r = rpc::decodeAs<rpc::FetchStreamBlock>(msg)) {
    if (auto block = blocks_.getBlock(r->block_id)) {
      reply.found = true;
      reply.bytes = *block;
    }
  } else {
    transport_.reportMalformed(from, r.status().message());
  }
  transport_.reply(from, msg, reply);
}

void BlockServer::storeReplica(const rpc::Peer& from, const rpc::Envelope& msg) {
  rpc::AddBlockReply reply;
  if (auto r = rpc::decodeAs<rpc::ReplicateBlock>(msg)) {
    blocks_.putBlock(r->block_id, std::make_shared<const std::string>(std::move(r->bytes)));
    reply.ok = true;
  } else {
    transport_.reportMalformed(from, r.status().message());
    reply.error = r.status().message();
  }
  transport_.reply(from, msg, reply);
}

}  // namespace sluice
