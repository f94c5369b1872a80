// TokenBucket: the rate limit of one receiver (Spark's RateLimiter, a Guava token bucket):
// permits are earned at rate() per second, up to a small burst, and a receiver takes one
// per record it stores. When none is left, acquire() blocks the storing thread until its
// permits are earned, so that a receiver reading a TCP socket stops reading and the
// sender is pushed back by TCP flow control instead of the records piling up in memory.
//
// The bucket holds at most burst() permits: kBurst (10 ms) worth of the rate, and at
// least one. Spark's Guava limiter keeps a whole second's worth, which lets a batch after
// an idle second hold twice its share; 10 ms is enough to absorb the oversleep of a timer
// wait at high rates without ever letting a batch exceed its share by more than that.
//
// A taker that finds too few permits takes them anyway and owes the difference (the
// count goes negative); it waits until the debt is earned, and every later taker waits
// behind it. So acquire(n) for a block of n records larger than the burst works: it
// waits n / rate seconds.
//
// THREADING: thread-safe. acquire() blocks on the clock (which must outlive the bucket)
// and returns early, false, when stop is requested; the permits it took stay taken.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <stop_token>

#include "common/clock.h"

namespace sluice {

class TokenBucket {
 public:
  static constexpr std::chrono::milliseconds kBurst{10};

  // rate: permits per second; 0 or less is unlimited. The bucket starts full.
  TokenBucket(Clock& clock, double rate);

  // Takes n permits, waiting until they are earned. Returns false when stop was requested
  // before that; true at once when unlimited.
  bool acquire(int64_t n = 1, std::stop_token stop = {});
  // Takes n permits at now_ms and returns the time (ms since the clock's epoch) from which
  // they are earned: acquire() without the wait, for tests on a manual clock.
  int64_t reserve(int64_t n, int64_t now_ms);

  // Changes the rate from now on (0 or less: unlimited); what is owed or held is kept,
  // within the new burst.
  void setRate(double rate);
  double rate() const;
  // The most permits the bucket holds (0 when unlimited).
  double burst() const;

 private:
  // Adds what was earned since last_ms_. Requires mu_.
  void refillLocked(int64_t now_ms);
  double burstLocked() const;

  Clock& clock_;
  mutable std::mutex mu_;
  double rate_;           // permits per second; <= 0: unlimited
  std::atomic<bool> unlimited_;  // rate_ <= 0, read without mu_ by acquire()
  double permits_;        // held (> 0) or owed (< 0)
  int64_t last_ms_ = -1;  // the clock when permits_ was last brought up to date
};

}  // namespace sluice
