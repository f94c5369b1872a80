// ReceiverTracker: the driver's side of receivers (Spark's ReceiverTracker). It launches
// each receiver as a long-running one-task job and launches it again whenever that job ends
// while streaming runs (its executor died, it failed); it answers the receivers' messages
// (RegisterReceiver, AddBlock, ReceiverError), registered with the executor backend by kind;
// it hands every reported block to its ReceivedBlockTracker, which allocates blocks to
// batches and keeps the block metadata log, and removes from the executors the blocks that
// tracker forgets. It also sends each receiver backpressure's bound (UpdateRateLimit).
//
// THREADING: thread-safe. Receiver messages arrive on the executor backend's I/O thread;
// each receiver's job runs on a thread of its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rpc/streaming_messages.h"
#include "rpc/transport.h"
#include "streaming/duration.h"
#include "streaming/received_block_tracker.h"
#include "streaming/streaming_progress.h"

namespace sluice {

class Context;
class CoarseGrainedSchedulerBackend;
class RDDBase;
class StreamingListener;

// The job group of receiver jobs (Context::cancelJobGroup).
inline constexpr const char* kReceiverJobGroup = "streaming-receivers";

class ReceiverTracker {
 public:
  using ReceiverJob = std::function<std::shared_ptr<RDDBase>()>;
  ReceiverTracker() = default;
  // stop().
  ~ReceiverTracker();

  // Before start(): a receiver for stream_id; make() builds the RDD whose one task runs it.
  void addReceiver(int stream_id, std::string name, ReceiverJob make);
  bool hasReceivers() const;
  // Registers a handler with backend for each message kind of the receiver protocol and
  // launches every receiver's job on ctx, as a long-running job (scheduler.longRunning) in
  // job group kReceiverJobGroup. Both must outlive stop(). One tracker per backend: a kind
  // that already has a handler is a logic_error.
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

  // ReceivedBlockTracker's calls, as Spark's ReceiverTracker offers them (see there). A
  // metadata log write that fails is logged here: the batch runs without the blocks, and
  // the next batch takes them.
  void setMetadataLog(BlockMetadataLog* log) { blocks_.setMetadataLog(log); }
  void restore(RecoveredBlocks recovered) { blocks_.restore(std::move(recovered)); }
  void retainFrom(Time t) { blocks_.retainFrom(t); }
  void allocateBlocksToBatch(Time t);
  void batchCompleted(Time t);
  std::vector<ReceivedBlockInfo> blocksOfBatch(Time t, int stream_id) const {
    return blocks_.blocksOfBatch(t, stream_id);
  }
  bool hasUnallocatedBlocks() const { return blocks_.hasUnallocatedBlocks(); }
  // Records a reported block (ReceivedBlockTracker::addBlock) and counts it for its
  // receiver; an error says it is not recorded.
  Status addBlock(ReceivedBlockInfo block);
  // Forgets the blocks of stream_id allocated to batches up to t and removes them from the
  // executors (after start()).
  void cleanupOldBlocks(int stream_id, Time t);
  std::vector<ReceiverInfo> receivers() const;
  // Backpressure's new bound for the receiver of stream_id (Spark's sendRateUpdate): sent
  // to the executor it runs on (UpdateRateLimit), and again whenever it registers anew.
  // Shown, within streaming.receiver.maxRate, in receivers(). Never blocks.
  void sendRateUpdate(int stream_id, int64_t records_per_second);

 private:
  struct Entry {
    ReceiverInfo info;
    ReceiverJob make;
    std::thread runner;
    bool finished = false;  // the runner has returned
    int64_t backpressure_rate = 0;  // the last sendRateUpdate(), 0: none yet
  };
  // The receiver protocol, registered with the backend by kind (start()).
  void onRegisterReceiver(const rpc::Peer& from, const rpc::Envelope& request, rpc::RegisterReceiver&& msg);
  void onAddBlock(const rpc::Peer& from, const rpc::Envelope& request, rpc::AddBlock&& msg);
  void runReceiver(int stream_id);
  void noteError(int stream_id, const std::string& message);

  // Joins the runners that have returned; returns how many have not.
  int joinFinishedRunners();

  Context* ctx_ = nullptr;
  CoarseGrainedSchedulerBackend* backend_ = nullptr;
  std::function<void(int, const std::string&, bool)> listener_;
  ReceivedBlockTracker blocks_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<int, Entry> receivers_;
  int64_t max_rate_ = 0;  // streaming.receiver.maxRate, read in start()
};

}  // namespace sluice
