// Clock: the time source of schedulers and timers, behind an interface so that tests can
// advance a ManualClock instead of sleeping (STYLE.md 5).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>

namespace sluice {

// Thread-safe. Times are milliseconds since an arbitrary epoch.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t nowMs() const = 0;
  // Blocks until nowMs() >= target_ms (true) or a stop is requested on stop (false).
  virtual bool waitUntil(int64_t target_ms, std::stop_token stop = {}) = 0;
};

class SystemClock : public Clock {
 public:
  int64_t nowMs() const override;
  bool waitUntil(int64_t target_ms, std::stop_token stop = {}) override;
};

class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 0) : now_(start_ms) {}
  int64_t nowMs() const override;
  bool waitUntil(int64_t target_ms, std::stop_token stop = {}) override;
  void advance(int64_t ms);
  void setTime(int64_t ms);

 private:
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  int64_t now_;
};

// Monotonic nanoseconds, for metrics.
int64_t monotonicNanos();

}  // namespace sluice
