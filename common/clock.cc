#include "common/clock.h"

#include <thread>

namespace sluice {

int64_t SystemClock::nowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool SystemClock::waitUntil(int64_t target_ms, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock<std::mutex> lock(mu);
  while (!stop.stop_requested()) {
    int64_t now = nowMs();
    if (now >= target_ms) return true;
    cv.wait_for(lock, stop, std::chrono::milliseconds(target_ms - now), [] { return false; });
  }
  return false;
}

int64_t ManualClock::nowMs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

bool ManualClock::waitUntil(int64_t target_ms, std::stop_token stop) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait(lock, stop, [&] { return now_ >= target_ms; });
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
