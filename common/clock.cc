#include "common/clock.h"

#include <thread>

namespace sluice {

int64_t SystemClock::nowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void SystemClock::waitUntil(int64_t target_ms) {
  int64_t now = nowMs();
  if (target_ms > now) std::this_thread::sleep_for(std::chrono::milliseconds(target_ms - now));
}

int64_t ManualClock::nowMs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

void ManualClock::waitUntil(int64_t target_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return now_ >= target_ms; });
}

void ManualClock::advance(int64_t ms) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += ms;
  }
  cv_.notify_all();
}

void ManualClock::setTime(int64_t ms) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = ms;
  }
  cv_.notify_all();
}

int64_t monotonicNanos() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace sluice
