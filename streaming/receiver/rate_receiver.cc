#include "streaming/receiver/rate_receiver.h"

#include <chrono>

namespace sluice {

void RateReceiver::onStart() {
  thread_ = std::thread([this] { produce(); });
}

void RateReceiver::onStop() {
  if (thread_.joinable()) thread_.join();
}

void RateReceiver::produce() {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  uint64_t seed = 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(start.time_since_epoch().count());
  auto next_word = [&] {  // xorshift64: cheap and good enough to spread the words
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed % static_cast<uint64_t>(vocabulary_ > 0 ? vocabulary_ : 1);
  };
  int64_t produced = 0;
  while (!isStopped()) {
    // The records due by now, at most 10 ms worth at a time so that a stop is noticed.
    auto elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    int64_t due = rate_ * elapsed_us / 1000000 - produced;
    if (due <= 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    if (due > rate_ / 100 + 1) due = rate_ / 100 + 1;
    for (int64_t i = 0; i < due; ++i) {
      std::string line;
      line.reserve(static_cast<size_t>(record_bytes_) + 8);
      while (static_cast<int32_t>(line.size()) < record_bytes_) {
        if (!line.empty()) line += ' ';
        line += 'w';
        line += std::to_string(next_word());
      }
      store(std::move(line));
    }
    produced += due;
  }
}

}  // namespace sluice
