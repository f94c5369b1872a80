// ReceivedBlockInfo: what the driver knows of one block a receiver stored (Spark's
// ReceivedBlockInfo). An executor sends it inside rpc::AddBlock; the driver's
// ReceivedBlockTracker keeps it, logs it to the block metadata log and hands it to the
// batch's BlockRDD, which reads the block where it says. Its serialized form is the
// AddBlock payload on the wire (rpc/FORMAT.md, "Receiver protocol") and the block entries of
// the block metadata log and of checkpointed BlockRDDs on disk: changing it changes all three.
#pragma once

#include <cstdint>
#include <string>

#include "wal/record_handle.h"

namespace sluice::rpc {

struct ReceivedBlockInfo {
  int32_t stream_id = 0;
  std::string block_id;
  std::string executor_id;  // the executor holding the block
  std::string endpoint;     // its block server
  std::string host;
  int64_t num_records = 0;
  int64_t bytes = 0;
  std::string replica_executor_id;  // "" when not replicated
  std::string replica_endpoint;
  // With the receiver WAL on, where the block is durable (Spark's
  // WriteAheadLogBackedBlockRDD reads it there when no executor has it); wal_dir "" if off.
  std::string wal_dir;
  wal::RecordHandle wal_handle;
  std::string position;  // the source's position after the block (Receiver::storeBlock), "" if not given

  template <class A> void serialize(A& ar) {
    ar(stream_id, block_id, executor_id, endpoint, host, num_records, bytes, replica_executor_id, replica_endpoint,
       wal_dir, wal_handle, position);
  }
};

}  // namespace sluice::rpc
