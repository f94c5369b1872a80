#include "streaming/receiver/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace sluice {

TokenBucket::TokenBucket(Clock& clock, double rate) : clock_(clock), rate_(rate), unlimited_(rate <= 0) {
  permits_ = burstLocked();
}

double TokenBucket::burstLocked() const {
  if (rate_ <= 0) return 0;
  return std::max(1.0, rate_ * static_cast<double>(kBurst.count()) / 1000.0);
}

void TokenBucket::refillLocked(int64_t now_ms) {
  if (last_ms_ >= 0 && now_ms > last_ms_) {
    permits_ = std::min(burstLocked(), permits_ + rate_ * static_cast<double>(now_ms - last_ms_) / 1000.0);
  }
  if (now_ms > last_ms_) last_ms_ = now_ms;
}

int64_t TokenBucket::reserve(int64_t n, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  if (rate_ <= 0) return now_ms;
  refillLocked(now_ms);
  permits_ -= static_cast<double>(n);
  if (permits_ >= 0) return now_ms;
  // The debt is earned after -permits_ / rate seconds (rounded up to the clock's ms).
  return last_ms_ + static_cast<int64_t>(std::ceil(-permits_ * 1000.0 / rate_));
}

bool TokenBucket::acquire(int64_t n, std::stop_token stop) {
  if (unlimited_.load(std::memory_order_relaxed)) return true;  // the common case: no lock per record
  int64_t now = clock_.nowMs();
  int64_t ready = reserve(n, now);
  if (ready <= now) return true;
  return clock_.waitUntil(ready, stop);
}

void TokenBucket::setRate(double rate) {
  std::lock_guard<std::mutex> lock(mu_);
  refillLocked(clock_.nowMs());
  bool was_unlimited = rate_ <= 0;
  rate_ = rate;
  unlimited_.store(rate <= 0, std::memory_order_relaxed);
  if (was_unlimited) {
    permits_ = burstLocked();  // starts full, as a new bucket
  } else {
    permits_ = std::min(permits_, burstLocked());
  }
}

double TokenBucket::rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rate_ > 0 ? rate_ : 0;
}

double TokenBucket::burst() const {
  std::lock_guard<std::mutex> lock(mu_);
  return burstLocked();
}

}  // namespace sluice
