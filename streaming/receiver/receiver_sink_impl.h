// ReceiverSinkImpl: an executor's ReceiverSink — stores a receiver's blocks in the
// BlockManager (and on a replica executor when asked), reports each to the driver with
// AddBlock and waits for its answer, carries the driver's StopReceiver, and keeps the
// receiver's rate limit (a TokenBucket at streaming.receiver.maxRate, moved by the driver's
// UpdateRateLimit under backpressure).
//
// THREADING: thread-safe. The executor's receiver host (streaming/receiver/executor_receivers.cc)
// keeps the sink in its table while the receiver's task runs, and calls requestStop() from
// the executor's transport I/O thread (StopReceiver) or from the thread stopping the executor,
// and updateRateLimit() from the I/O thread (UpdateRateLimit).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/buffer_pool.h"
#include "common/clock.h"
#include "executor/block_manager.h"
#include "rdd/receiver_sink.h"
#include "rpc/streaming_messages.h"
#include "rpc/transport.h"
#include "streaming/receiver/receiver_rate_limits.h"
#include "streaming/receiver/token_bucket.h"
#include "wal/write_ahead_log.h"

namespace sluice {

struct ReceiverSinkOptions {
  int stream_id = 0;
  std::string executor_id;
  std::string host;
  std::string block_endpoint;
  std::chrono::milliseconds block_interval{200};
  std::chrono::milliseconds report_timeout{30000};
  int replication = 1;                    // copies of each block, this executor's included
  std::vector<rpc::ReceiverPeer> peers;  // executors that can hold the other copies
  std::string resume_position;           // what the driver answered at registration
  wal::WalOptions wal_options;           // for enableWriteAheadLog() (wal.fsync, ...)
  ReceiverRateLimits rate_limits;         // maxRate, and the limit until the driver sends one
};

class ReceiverSinkImpl : public ReceiverSink {
 public:
  // blocks, transport and driver must outlive the sink.
  ReceiverSinkImpl(ReceiverSinkOptions options, BlockManager& blocks, rpc::Transport& transport, rpc::Peer driver);

  int streamId() const override { return options_.stream_id; }
  std::chrono::milliseconds blockInterval() const override { return options_.block_interval; }
  std::string resumePosition() const override { return options_.resume_position; }
  // With the WAL on, the block is durable in the WAL before the driver hears of it.
  Status pushBlock(std::string bytes, int64_t num_records, std::string position = "") override;
  // A buffer of a block this sink stored and the BlockManager has since dropped, when one
  // is back (block_buffers_), else a new one.
  std::string takeBlockBuffer(size_t capacity) override { return block_buffers_->take(capacity); }
  // Opens a WAL of this sink's own in <dir>/<executor-id>-<start-ms> (one writer per WAL
  // directory, even when a restarted receiver lands on an executor that had it before).
  Status enableWriteAheadLog(const std::string& dir) override;
  void reportError(const std::string& message) override;
  bool stopRequested() const override { return stop_.load(); }
  bool waitForStop(std::chrono::milliseconds timeout) override;

  void requestStop(const std::string& why);

  // Blocks until n more records are within the rate limit (or stop is requested).
  bool waitToPush(int64_t n, std::stop_token stop) override { return rate_limit_.acquire(n, stop); }
  int64_t rateLimit() const override { return static_cast<int64_t>(rate_limit_.rate()); }
  // Backpressure's new bound: applied, within maxRate, when above 0 (as Spark's
  // RateLimiter.updateRate); anything else is ignored.
  void updateRateLimit(int64_t records_per_second);

 private:
  // Copies the block to one peer, preferring another host; fills block's replica fields.
  void replicate(const std::shared_ptr<const std::string>& bytes, rpc::ReceivedBlockInfo& block);

  ReceiverSinkOptions options_;
  BlockManager& blocks_;
  rpc::Transport& transport_;
  rpc::Peer driver_;
  std::atomic<int64_t> next_block_{0};
  // The stored blocks' buffers come back here when the BlockManager drops them, for the
  // next blocks: at most 8 of them and 256 MB.
  std::shared_ptr<BufferPool> block_buffers_ = BufferPool::create(8, size_t{256} << 20);
  bool warned_unreplicated_ = false;
  std::unique_ptr<wal::WriteAheadLog> wal_;  // set before the first pushBlock()
  std::atomic<bool> stop_{false};
  SystemClock clock_;
  TokenBucket rate_limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Block ids carry the start time, so that a restarted executor's ids never collide with
  // those of an earlier run of the same receiver.
  const int64_t incarnation_;
};

}  // namespace sluice
