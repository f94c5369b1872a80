#include "common/peer_log_limiter.h"

#include <catch2/catch.hpp>

namespace sluice {
namespace {

using Clock = PeerLogLimiter::Clock;

TEST_CASE("a flood from one peer logs a bounded burst per window and then says how much it hid", "[common]") {
  PeerLogLimiter limiter;
  Clock::time_point t0{};
  int logged = 0;
  for (int i = 0; i < 1000; ++i) logged += limiter.allow("10.0.0.1", t0 + std::chrono::milliseconds(i)).log;
  CHECK(logged == PeerLogLimiter::kBurst);
  // Another peer is not affected by the first one's flood.
  CHECK(limiter.allow("10.0.0.2", t0).log);
  // After the window, the first line again, reporting what was not logged.
  auto d = limiter.allow("10.0.0.1", t0 + PeerLogLimiter::kWindow + std::chrono::seconds(1));
  CHECK(d.log);
  CHECK(d.suppressed == 1000 - PeerLogLimiter::kBurst);
  CHECK(limiter.allow("10.0.0.1", t0 + PeerLogLimiter::kWindow + std::chrono::seconds(2)).suppressed == 0);
}

TEST_CASE("the limiter remembers a bounded number of peers", "[common]") {
  PeerLogLimiter limiter;
  Clock::time_point t0{};
  for (int b = 0; b < PeerLogLimiter::kBurst; ++b) CHECK(limiter.allow("first", t0).log);
  CHECK_FALSE(limiter.allow("first", t0).log);
  // Many other peers push the first one out: it is then new again (its count forgotten).
  for (size_t i = 0; i < PeerLogLimiter::kMaxPeers; ++i) limiter.allow("peer-" + std::to_string(i), t0);
  CHECK(limiter.allow("first", t0).log);
}

}  // namespace
}  // namespace sluice
