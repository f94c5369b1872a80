// ReceiverTracker: the driver's side of receivers (Spark's ReceiverTracker and
// ReceivedBlockTracker). It launches each receiver as a long-running one-task job and
// launches it again whenever that job ends while streaming runs (its executor died, it
// failed); it records every block a receiver reports (AddBlock) and, at every batch time,
// allocates the blocks received since the previous batch to that batch, one RDD partition
// per block; it removes blocks from the executors once no batch needs them.
//
// THREADING: thread-safe. Receiver messages arrive on the executor backend's I/O thread;
// each receiver's job runs on a thread of its own.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "streaming/duration.h"
#include "streaming/streaming_progress.h"
#include "rpc/transport.h"
#include "wal/record_handle.h"

namespace sluice {

class BlockMetadataLog;
struct RecoveredBlocks;
class Context;
class CoarseGrainedSchedulerBackend;
class RDDBase;
class StreamingListener;

// The job group of receiver jobs (Context::cancelJobGroup).
inline constexpr const char* kReceiverJobGroup = "streaming-receivers";

struct ReceivedBlockInfo {
  int stream_id = 0;
  std::string block_id;
  std::string executor_id;
  std::string endpoint;  // the holding executor's block server
  std::string host;
  int64_t num_records = 0;
  int64_t bytes = 0;
  std::string replica_executor_id;
  std::string replica_endpoint;
  // With the receiver WAL on, where the block is durable (Spark's
  // WriteAheadLogBackedBlockRDD reads it there when no executor has it); wal_dir "" if off.
  std::string wal_dir;
  wal::RecordHandle wal_handle;
  std::string position;  // the source's position after the block, "" if not given
  template <class A> void serialize(A& ar) {
    ar(stream_id, block_id, executor_id, endpoint, host, num_records, bytes, replica_executor_id, replica_endpoint,
       wal_dir, wal_handle, position);
  }
};

class ReceiverTracker {
 public:
  using ReceiverJob = std::function<std::shared_ptr<RDDBase>()>;
  ReceiverTracker() = default;
  // stop().
  ~ReceiverTracker();

  // Before start(): a receiver for stream_id; make() builds the RDD whose one task runs it.
  void addReceiver(int stream_id, std::string name, ReceiverJob make);
  bool hasReceivers() const;
  // Takes the receiver protocol messages of backend and launches every receiver's job on
  // ctx, as a long-running job (scheduler.longRunning) in job group kReceiverJobGroup. Both must outlive stop().
  void start(Context& ctx, CoarseGrainedSchedulerBackend* backend);
  // Asks every receiver to stop (they push their last block) and waits up to timeout for
  // their jobs to end. Jobs still running then (their executor is gone, or the cluster
  // stopped giving the app executors) are cancelled, so this always returns. Returns
  // whether every receiver stopped by itself. Idempotent.
  bool stop(std::chrono::milliseconds timeout = kDefaultStopTimeout);
  // As Spark's ReceiverTracker, which waits 10 s for its receivers to deregister.
  static constexpr std::chrono::milliseconds kDefaultStopTimeout{10'000};
  void setListener(std::function<void(int stream_id, const std::string& what, bool error)> listener) {
    listener_ = std::move(listener);
  }

  // Before start(): log block reports, allocations and completed batches to log (the
  // driver's metadata WAL; must outlive this tracker), so that a restarted driver can
  // take over what an earlier run left (restore()).
  void setMetadataLog(BlockMetadataLog* log) { metadata_log_ = log; }
  // Before start(): what an earlier run of the driver logged. Its batches keep their blocks
  // (re-run batches and state recomputed through completed ones read them again), and the
  // next batch gets the blocks no batch took.
  void restore(RecoveredBlocks recovered);
  // The receiver WAL and the metadata WAL keep what batches from time t on read (the
  // oldest batch a restart from the latest checkpoint recomputes); older is deleted.
  void retainFrom(Time t);
  // Records a reported block; with a metadata log, only once it is logged (an error says
  // it is not recorded).
  Status addBlock(ReceivedBlockInfo block);
  // Moves every unallocated block to batch t. Idempotent per t.
  void allocateBlocksToBatch(Time t);
  // Batch t's jobs all ended: logged, so that a restarted driver does not process its
  // blocks again.
  void batchCompleted(Time t);
  std::vector<ReceivedBlockInfo> blocksOfBatch(Time t, int stream_id) const;
  // Forgets the blocks of stream_id allocated to batches up to t and removes them from the
  // executors.
  void cleanupOldBlocks(int stream_id, Time t);
  bool hasUnallocatedBlocks() const;
  std::vector<ReceiverInfo> receivers() const;

 private:
  struct Entry {
    ReceiverInfo info;
    ReceiverJob make;
    std::thread runner;
    bool finished = false;  // the runner has returned
  };
  void handle(const rpc::Peer& from, rpc::Envelope&& msg);
  void runReceiver(int stream_id);
  void noteError(int stream_id, const std::string& message);

  // Joins the runners that have returned; returns how many have not.
  int joinFinishedRunners();

  Context* ctx_ = nullptr;
  CoarseGrainedSchedulerBackend* backend_ = nullptr;
  std::function<void(int, const std::string&, bool)> listener_;
  BlockMetadataLog* metadata_log_ = nullptr;
  std::atomic<Time> retain_from_{std::numeric_limits<Time>::max()};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<int, Entry> receivers_;
  std::map<int, std::deque<ReceivedBlockInfo>> unallocated_;
  std::map<int, std::string> positions_;  // stream -> position of its last recorded block
  std::map<Time, std::map<int, std::vector<ReceivedBlockInfo>>> allocated_;
};

}  // namespace sluice
