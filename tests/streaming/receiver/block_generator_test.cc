// BlockGenerator: blocks stay one interval long while pushes are slow, a tight add() loop
// does not starve the cuts, every record is pushed once and in order, and a full push
// queue blocks add().
#include "streaming/receiver/block_generator.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sluice {
namespace {

using namespace std::chrono_literals;

// Records every pushed block; each push takes push_delay.
class SlowSink : public ReceiverSink {
 public:
  SlowSink(std::chrono::milliseconds interval, std::chrono::milliseconds push_delay)
      : interval_(interval), push_delay_(push_delay) {}
  int streamId() const override { return 0; }
  std::chrono::milliseconds blockInterval() const override { return interval_; }
  Status pushBlock(std::string bytes, int64_t num_records, std::string /*position*/ = "") override {
    std::this_thread::sleep_for(push_delay_);
    std::vector<int64_t> records;
    Status st = fromBytes(bytes, records);
    std::lock_guard<std::mutex> lock(mu_);
    if (!st.isOk() || static_cast<int64_t>(records.size()) != num_records) bad_ = true;
    blocks_.push_back(std::move(records));
    return Status::ok();
  }
  void reportError(const std::string&) override {}
  bool stopRequested() const override { return false; }
  bool waitForStop(std::chrono::milliseconds) override { return false; }

  std::vector<std::vector<int64_t>> blocks() const {
    std::lock_guard<std::mutex> lock(mu_);
    return blocks_;
  }
  size_t numBlocks() const {
    std::lock_guard<std::mutex> lock(mu_);
    return blocks_.size();
  }
  bool bad() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_;
  }

 private:
  const std::chrono::milliseconds interval_, push_delay_;
  mutable std::mutex mu_;
  std::vector<std::vector<int64_t>> blocks_;
  bool bad_ = false;  // a block that did not decode to its num_records records
};

void requireAllInOrder(const SlowSink& sink, int64_t n) {
  REQUIRE_FALSE(sink.bad());
  auto blocks = sink.blocks();
  int64_t next = 0;
  for (const auto& b : blocks) {
    REQUIRE_FALSE(b.empty());
    for (int64_t x : b) REQUIRE(x == next++);
  }
  REQUIRE(next == n);
}

TEST_CASE("a tight add loop is cut every interval while pushes are slower than the interval", "[block_generator]") {
  SlowSink sink(10ms, 30ms);
  int64_t n = 0;
  {
    BlockGenerator<int64_t> gen(sink, 1000);
    gen.start();
    auto end = std::chrono::steady_clock::now() + 300ms;
    while (std::chrono::steady_clock::now() < end) {
      gen.add(n++);
      if (n % 20000 == 0) std::this_thread::sleep_for(1ms);  // bounds the records held
    }
    gen.stop();
  }
  requireAllInOrder(sink, n);
  // About 30 intervals; before the pushing thread, a 30 ms push made about 10 blocks of
  // uneven size, and lock starvation in the add loop could make it 2 or 3.
  REQUIRE(sink.numBlocks() >= 20);
}

TEST_CASE("a full push queue blocks add until a block is pushed", "[block_generator]") {
  SlowSink sink(5ms, 300ms);
  std::atomic<int64_t> added{0};
  {
    BlockGenerator<int64_t> gen(sink, 1);
    gen.start();
    std::thread adder([&] {
      for (int64_t i = 0; sink.numBlocks() < 2; ++i) {
        gen.add(i);
        ++added;
        if (i % 64 == 0) std::this_thread::sleep_for(1ms);
      }
    });
    // One block being pushed (300 ms), one waiting, and the buffer of the next interval:
    // from the third cut (about 15 ms) on, add() waits instead of buffering 300 ms of
    // records.
    std::this_thread::sleep_for(150ms);
    int64_t at_150ms = added.load();
    std::this_thread::sleep_for(100ms);
    bool first_push_running = sink.numBlocks() == 0;
    CHECK(added.load() == at_150ms);
    CHECK(first_push_running);
    adder.join();
    gen.stop();
  }
  requireAllInOrder(sink, added.load());
}

TEST_CASE("stop pushes the last records as a block, and an idle receiver makes no block", "[block_generator]") {
  SlowSink sink(5ms, 0ms);
  {
    BlockGenerator<int64_t> gen(sink);
    gen.start();
    std::this_thread::sleep_for(30ms);
    REQUIRE(sink.blocks().empty());
    gen.add(0);
    gen.add(1);
    gen.stop();
    gen.stop();
  }
  requireAllInOrder(sink, 2);
}

}  // namespace
}  // namespace sluice
