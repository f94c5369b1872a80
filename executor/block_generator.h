// BlockGenerator<T>: buffers the records a receiver stores one at a time and, every block
// interval, cuts what it holds into one block pushed through a ReceiverSink (Spark's
// BlockGenerator). An empty interval makes no block.
//
// THREADING: add() from any thread; one timer thread cuts and pushes blocks, so blocks
// reach the driver in the order their records were added. Pushing blocks the timer thread
// (not add()) until the driver recorded the block.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/serialize.h"
#include "rdd/receiver_sink.h"

namespace sluice {

template <class T>
class BlockGenerator {
 public:
  // sink must outlive the generator.
  explicit BlockGenerator(ReceiverSink& sink) : sink_(sink), interval_(sink.blockInterval()) {}
  // stop().
  ~BlockGenerator() { stop(); }
  BlockGenerator(const BlockGenerator&) = delete;
  BlockGenerator& operator=(const BlockGenerator&) = delete;

  void start() {
    timer_ = std::thread([this] { run(); });
  }
  void add(T record) {
    std::lock_guard<std::mutex> lock(mu_);
    buffer_.push_back(std::move(record));
  }
  // Pushes what is buffered now and stops the timer. Idempotent.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    cv_.notify_all();
    if (timer_.joinable()) timer_.join();
    cutAndPush();
  }
  int64_t blocksPushed() const { return blocks_pushed_; }

 private:
  void run() {
    auto next = std::chrono::steady_clock::now() + interval_;
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopped_) {
      if (cv_.wait_until(lock, next, [&] { return stopped_; })) break;
      next += interval_;
      lock.unlock();
      cutAndPush();
      lock.lock();
    }
  }
  void cutAndPush() {
    std::vector<T> block;
    {
      std::lock_guard<std::mutex> lock(mu_);
      block.swap(buffer_);
    }
    if (block.empty()) return;
    auto n = static_cast<int64_t>(block.size());
    Status st = sink_.pushBlock(toBytes(block), n);
    if (st) {
      ++blocks_pushed_;
    } else {
      spdlog::error("receiver {}: a block of {} records was not stored: {}", sink_.streamId(), n, st.message());
      sink_.reportError("a block of " + std::to_string(n) + " records was not stored: " + st.message());
    }
  }

  ReceiverSink& sink_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> buffer_;
  bool stopped_ = false;
  std::atomic<int64_t> blocks_pushed_{0};
  std::thread timer_;
};

}  // namespace sluice
