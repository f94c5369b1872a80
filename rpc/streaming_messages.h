// Messages of the streaming receiver protocol: an executor running a receiver tells the
// driver's ReceiverTracker where it runs and which blocks it stored; the driver stops it
// and sets its rate limit; executors fetch and replicate received blocks among themselves.
// The flow is described in rpc/FORMAT.md ("Receiver protocol").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rpc/message_tag.h"
#include "rpc/received_block_info.h"

namespace sluice::rpc {

// Executor -> driver, a call answered by RegisterReceiverReply: the receiver of stream_id
// started (or restarted) here.
struct RegisterReceiver {
  static constexpr MessageTag kTag = MessageTag::kRegisterReceiver;
  int32_t stream_id = 0;
  std::string executor_id;
  std::string host;
  template <class A> void serialize(A& ar) { ar(stream_id, executor_id, host); }
};

// An executor that can hold replicas of received blocks.
struct ReceiverPeer {
  std::string executor_id;
  std::string host;
  std::string endpoint;  // its block server
  template <class A> void serialize(A& ar) { ar(executor_id, host, endpoint); }
};

struct RegisterReceiverReply {
  static constexpr MessageTag kTag = MessageTag::kRegisterReceiverReply;
  std::vector<ReceiverPeer> peers;  // the other executors of the application
  std::string resume_position;      // of the stream's last recorded block (Receiver::resumePosition)
  template <class A> void serialize(A& ar) { ar(peers, resume_position); }
};

// Executor -> driver, a call answered by AddBlockReply: a block of received records is
// stored (on block.executor_id, and on block.replica_executor_id when replicated). The
// receiver goes on only once the driver recorded the block. The payload is the block's
// ReceivedBlockInfo and nothing else.
struct AddBlock {
  static constexpr MessageTag kTag = MessageTag::kAddBlock;
  ReceivedBlockInfo block;
  template <class A> void serialize(A& ar) { ar(block); }
};

struct AddBlockReply {
  static constexpr MessageTag kTag = MessageTag::kAddBlockReply;
  bool ok = false;
  std::string error;
  template <class A> void serialize(A& ar) { ar(ok, error); }
};

// Driver -> executor, one-way: stop the receiver of stream_id (its task then ends).
struct StopReceiver {
  static constexpr MessageTag kTag = MessageTag::kStopReceiver;
  int32_t stream_id = 0;
  std::string reason;
  template <class A> void serialize(A& ar) { ar(stream_id, reason); }
};

// Driver -> executor, one-way (Spark's UpdateRateLimit): from now on the receiver of
// stream_id stores at most records_per_second records per second (within
// streaming.receiver.maxRate when that is set too); 0 or less leaves its limit as it is.
// Sent by backpressure after every batch, and to a receiver that registers again.
struct UpdateRateLimit {
  static constexpr MessageTag kTag = MessageTag::kUpdateRateLimit;
  int32_t stream_id = 0;
  int64_t records_per_second = 0;
  template <class A> void serialize(A& ar) { ar(stream_id, records_per_second); }
};

// Executor -> driver, one-way: the receiver reported an error (it may go on or restart).
struct ReceiverError {
  static constexpr MessageTag kTag = MessageTag::kReceiverError;
  int32_t stream_id = 0;
  std::string executor_id;
  std::string message;
  template <class A> void serialize(A& ar) { ar(stream_id, executor_id, message); }
};

// Executor -> executor, a call answered by FetchStreamBlockReply.
struct FetchStreamBlock {
  static constexpr MessageTag kTag = MessageTag::kFetchStreamBlock;
  std::string block_id;
  template <class A> void serialize(A& ar) { ar(block_id); }
};

struct FetchStreamBlockReply {
  static constexpr MessageTag kTag = MessageTag::kFetchStreamBlockReply;
  bool found = false;
  std::string bytes;
  template <class A> void serialize(A& ar) { ar(found, bytes); }
};

// Executor -> executor, a call answered by AddBlockReply: keep a replica of this block.
struct ReplicateBlock {
  static constexpr MessageTag kTag = MessageTag::kReplicateBlock;
  std::string block_id;
  std::string bytes;
  template <class A> void serialize(A& ar) { ar(block_id, bytes); }
};

}  // namespace sluice::rpc
