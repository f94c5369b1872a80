// BlockGenerator<T>: buffers the records a receiver stores one at a time and, every block
// interval, cuts what it holds into one block, which a pushing thread then pushes through
// a ReceiverSink (Spark's BlockGenerator with its blocksForPushing queue). An empty
// interval makes no block.
//
// Cutting and pushing are apart so that a slow push (a block written to the receiver WAL,
// copied to a replica, reported to a busy driver) does not delay the next cut: blocks stay
// one block interval long, and a batch gets several of them (its partitions). At most
// queue_capacity cut blocks wait for the pushing thread; when that many wait, add() blocks
// until one is pushed, which slows the receiver's source down instead of buffering without
// bound.
//
// Records are encoded into the block's bytes as they are added (RecordBlockWriter,
// common/record_block.h): a record is copied once, into a buffer sized from the previous
// block (and reused, when the sink has one back from a dropped block), and not kept as an
// object until the cut (which cost an allocation per record, a second copy at the cut and
// a buffer grown by doubling).
//
// THREADING: add() from any thread; one timer thread cuts, one pushing thread pushes, so
// blocks reach the driver in the order their records were added. A cut is made by the
// next add() when one is due (a receiver that adds in a tight loop could otherwise starve
// the timer of the buffer's lock), else by the timer.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/record_block.h"
#include "rdd/receiver_sink.h"

namespace sluice {

template <class T>
class BlockGenerator {
 public:
  // Spark's spark.streaming.blockQueueSize default.
  static constexpr size_t kDefaultQueueCapacity = 10;

  // sink must outlive the generator.
  explicit BlockGenerator(ReceiverSink& sink, size_t queue_capacity = kDefaultQueueCapacity)
      : sink_(sink), interval_(sink.blockInterval()), capacity_(queue_capacity < 1 ? 1 : queue_capacity) {}
  // stop().
  ~BlockGenerator() { stop(); }
  BlockGenerator(const BlockGenerator&) = delete;
  BlockGenerator& operator=(const BlockGenerator&) = delete;

  void start() {
    timer_ = std::thread([this] { runTimer(); });
    pusher_ = std::thread([this] { runPusher(); });
  }
  // Buffers record (a copy of its encoding); blocks while queue_capacity cut blocks wait
  // to be pushed.
  void add(const T& record) {
    std::unique_lock<std::mutex> lock(mu_);
    if (cut_due_.load(std::memory_order_relaxed)) cutLocked(lock, /*only_if_due=*/true);
    buffer_.add(record);
  }
  // Cuts what is buffered now into a last block, pushes every waiting block and stops both
  // threads. Idempotent.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(timer_mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    timer_cv_.notify_all();
    if (timer_.joinable()) timer_.join();
    {
      std::unique_lock<std::mutex> lock(mu_);
      cutLocked(lock, /*only_if_due=*/false);
      draining_ = true;
    }
    push_cv_.notify_all();
    if (pusher_.joinable()) {
      pusher_.join();
    } else {
      pushWaiting();  // never started: push here
    }
  }
  int64_t blocksPushed() const { return blocks_pushed_; }

 private:
  struct Cut {
    std::string bytes;  // a record block (common/record_block.h)
    int64_t records = 0;
  };

  void runTimer() {
    // A cut left to add() should happen within microseconds; after this long without one
    // the receiver is idle and the timer cuts (the lock is then free).
    const auto grace = std::min<std::chrono::milliseconds>(interval_ / 10 + std::chrono::milliseconds(1),
                                                           std::chrono::milliseconds(10));
    auto next = std::chrono::steady_clock::now() + interval_;
    std::unique_lock<std::mutex> timer_lock(timer_mu_);
    while (!stopped_) {
      if (timer_cv_.wait_until(timer_lock, next, [&] { return stopped_; })) break;
      next += interval_;
      cut_due_.store(true, std::memory_order_relaxed);
      if (timer_cv_.wait_for(timer_lock, grace, [&] { return stopped_; })) break;
      if (!cut_due_.load(std::memory_order_relaxed)) continue;
      timer_lock.unlock();
      {
        std::unique_lock<std::mutex> lock(mu_);
        cutLocked(lock, /*only_if_due=*/true);
      }
      timer_lock.lock();
    }
  }
  // Moves the buffer to the push queue, waiting for room there first; with only_if_due,
  // only when no one cut while it waited. Requires mu_ (held by lock, which the wait
  // releases).
  void cutLocked(std::unique_lock<std::mutex>& lock, bool only_if_due) {
    room_cv_.wait(lock, [&] { return queue_.size() < capacity_ || pusher_gone_; });
    if (only_if_due && !cut_due_.load(std::memory_order_relaxed)) return;
    cut_due_.store(false, std::memory_order_relaxed);
    if (buffer_.empty()) return;
    const int64_t n = buffer_.count();
    // Room for the next block as long as the longest of the last ones (a slowly decaying
    // maximum: block sizes vary several times over with a bursty source), and an eighth
    // more, so that it is not grown (copied into new memory) while it fills; from the sink,
    // which may have a buffer already mapped.
    expected_bytes_ = std::max(buffer_.byteSize(), expected_bytes_ - expected_bytes_ / 16);
    queue_.push_back(Cut{buffer_.finish(sink_.takeBlockBuffer(expected_bytes_ + expected_bytes_ / 8)), n});
    push_cv_.notify_one();
  }
  void runPusher() {
    pushWaiting();
    std::lock_guard<std::mutex> lock(mu_);
    pusher_gone_ = true;
    room_cv_.notify_all();
  }
  // Pushes blocks as they are cut, until stop() asked to drain and none is left.
  void pushWaiting() {
    for (;;) {
      Cut block;
      {
        std::unique_lock<std::mutex> lock(mu_);
        push_cv_.wait(lock, [&] { return !queue_.empty() || draining_; });
        if (queue_.empty()) return;
        block = std::move(queue_.front());
        queue_.pop_front();
        room_cv_.notify_all();
      }
      push(std::move(block));
    }
  }
  void push(Cut block) {
    const int64_t n = block.records;
    Status st = sink_.pushBlock(std::move(block.bytes), n);
    if (st) {
      ++blocks_pushed_;
    } else {
      spdlog::error("receiver {}: a block of {} records was not stored: {}", sink_.streamId(), n, st.message());
      sink_.reportError("a block of " + std::to_string(n) + " records was not stored: " + st.message());
    }
  }

  ReceiverSink& sink_;
  const std::chrono::milliseconds interval_;
  const size_t capacity_;
  std::mutex timer_mu_;               // guards stopped_
  std::condition_variable timer_cv_;  // stopped_
  bool stopped_ = false;
  std::mutex mu_;                     // guards everything below but the atomics
  std::condition_variable push_cv_;   // queue_ not empty, draining_
  std::condition_variable room_cv_;   // queue_ below capacity_, pusher_gone_
  RecordBlockWriter<T> buffer_;       // the block being filled
  size_t expected_bytes_ = 0;         // the longest recent block, decaying by 1/16 a cut
  std::deque<Cut> queue_;             // cut, waiting to be pushed, oldest first
  std::atomic<bool> cut_due_{false};  // a block interval ended; the next add() cuts
  bool draining_ = false;
  bool pusher_gone_ = false;
  std::atomic<int64_t> blocks_pushed_{0};
  std::thread timer_;
  std::thread pusher_;
};

}  // namespace sluice
