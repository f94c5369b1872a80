// BlockServer: serves an executor's BlockManager to the other executors (the server side
// of ShuffleClient): map output buckets (FetchBlocks), received stream blocks
// (FetchStreamBlock), and replicas of received blocks that another executor's receiver
// stores here (ReplicateBlock). Its endpoint is the executor's bound transport endpoint,
// which the driver hands out as the executor's block endpoint.
//
// THREADING: handle() runs on the transport's I/O thread and never blocks: every request
// is answered from the BlockManager at once.
#pragma once

#include "executor/block_manager.h"
#include "rpc/transport.h"

namespace sluice {

class BlockServer {
 public:
  // blocks and transport must outlive the server.
  BlockServer(BlockManager& blocks, rpc::Transport& transport) : blocks_(blocks), transport_(transport) {}

  // Answers msg when it is a block request and returns true; false for any other message.
  // A request that does not decode is reported (Transport::reportMalformed) and answered
  // with an error or "not found".
  bool handle(const rpc::Peer& from, const rpc::Envelope& msg);

 private:
  void serveShuffleBlocks(const rpc::Peer& from, const rpc::Envelope& msg);
  void serveStreamBlock(const rpc::Peer& from, const rpc::Envelope& msg);
  void storeReplica(const rpc::Peer& from, const rpc::Envelope& msg);

  BlockManager& blocks_;
  rpc::Transport& transport_;
};

}  // namespace sluice
