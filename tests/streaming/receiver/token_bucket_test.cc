// TokenBucket on a manual clock: permits come at the rate, at most a burst is held, a
// taker that finds too few owes them and waits, a stop ends a wait, and a new rate (or
// none) applies at once.
#include "streaming/receiver/token_bucket.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

namespace sluice {
namespace {

// Takes one permit after another as soon as each is ready, for window_ms from start;
// returns how many it got.
int64_t greedyTakes(TokenBucket& bucket, int64_t start_ms, int64_t window_ms) {
  int64_t now = start_ms, taken = 0;
  for (;;) {
    int64_t ready = bucket.reserve(1, now);
    if (ready > start_ms + window_ms) return taken;
    now = std::max(now, ready);
    ++taken;
  }
}

TEST_CASE("token bucket: without a rate every acquire returns at once", "[streaming][rate]") {
  ManualClock clock(1000);
  TokenBucket bucket(clock, 0);
  for (int i = 0; i < 100000; ++i) REQUIRE(bucket.acquire(1));
  CHECK(bucket.acquire(1000000));
  CHECK(bucket.rate() == 0);
  CHECK(bucket.burst() == 0);
}

TEST_CASE("token bucket: permits come at the rate, one at a time once the burst is spent", "[streaming][rate]") {
  ManualClock clock(0);
  TokenBucket bucket(clock, 100);  // one permit every 10 ms; the burst (10 ms worth) is 1
  CHECK(bucket.burst() == 1);
  CHECK(bucket.reserve(1, 0) == 0);   // the one held
  CHECK(bucket.reserve(1, 0) == 10);  // owed: ready after 10 ms
  CHECK(bucket.reserve(1, 0) == 20);  // behind the first debtor
  CHECK(bucket.reserve(1, 20) == 30);
  CHECK(bucket.reserve(1, 100) == 100);  // earned while idle (capped at the burst)
  CHECK(bucket.reserve(1, 100) == 110);
}

TEST_CASE("token bucket: over any window at most the burst plus the rate times the window", "[streaming][rate]") {
  ManualClock clock(0);
  TokenBucket bucket(clock, 1000);
  CHECK(bucket.burst() == 10);
  // A long idle time earns no more than the burst.
  int64_t first_second = greedyTakes(bucket, 60'000, 1000);
  CHECK(first_second <= 10 + 1000);
  CHECK(first_second >= 1000);
  int64_t next_ten = greedyTakes(bucket, 61'000, 10'000);
  CHECK(next_ten <= 10 + 10'000);
  CHECK(next_ten >= 10'000 - 1);
}

TEST_CASE("token bucket: a block larger than the burst waits its whole share", "[streaming][rate]") {
  ManualClock clock(0);
  TokenBucket bucket(clock, 100);
  CHECK(bucket.reserve(1000, 0) == 9990);  // 999 owed at 100 per second
  CHECK(bucket.reserve(1, 9990) == 10000);
}

TEST_CASE("token bucket: acquire blocks until the clock reaches its permits, and a stop ends the wait",
          "[streaming][rate]") {
  ManualClock clock(0);
  TokenBucket bucket(clock, 100);
  REQUIRE(bucket.acquire(1));  // the burst
  std::atomic<bool> got{false};
  std::thread taker([&] { got = bucket.acquire(5); });  // 5 owed: ready at 50 ms
  clock.advance(49);
  clock.advance(1);
  taker.join();
  CHECK(got);
  CHECK(clock.nowMs() == 50);

  std::stop_source stop;
  std::atomic<int> result{-1};
  std::thread stopped([&] { result = bucket.acquire(100, stop.get_token()) ? 1 : 0; });  // a second's worth
  stop.request_stop();
  stopped.join();
  CHECK(result == 0);
}

TEST_CASE("token bucket: a new rate applies from now, and no rate lifts the limit", "[streaming][rate]") {
  ManualClock clock(0);
  TokenBucket bucket(clock, 100);
  CHECK(bucket.reserve(1, 0) == 0);
  bucket.setRate(1000);  // the burst is now 10, but nothing was earned yet
  CHECK(bucket.rate() == 1000);
  CHECK(bucket.reserve(1, 0) == 1);
  CHECK(bucket.reserve(1, 5) == 5);  // 5 earned in 5 ms at the new rate
  bucket.setRate(0);
  CHECK(bucket.rate() == 0);
  CHECK(bucket.acquire(1'000'000));
  bucket.setRate(10);  // limited again: starts full (burst 1)
  CHECK(bucket.reserve(1, 5) == 5);
  CHECK(bucket.reserve(1, 5) == 105);
}

}  // namespace
}  // namespace sluice
