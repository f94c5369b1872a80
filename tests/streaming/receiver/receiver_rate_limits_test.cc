// ReceiverRateLimits: what a receiver starts with and how backpressure's bounds are capped,
// from streaming.receiver.maxRate and streaming.backpressure.initialRate.
#include "streaming/receiver/receiver_rate_limits.h"

#include <catch2/catch.hpp>

namespace sluice {
namespace {

TEST_CASE("receiver rate limits: unlimited by default, maxRate caps, initialRate only with backpressure",
          "[streaming][rate]") {
  auto none = ReceiverRateLimits::fromConf(Conf());
  CHECK(none.startingLimit() == 0);
  CHECK(none.capped(5000) == 5000);

  Conf conf;
  conf.set("spark.streaming.receiver.maxRate", "2000");
  conf.set("streaming.backpressure.initialRate", "500");
  auto off = ReceiverRateLimits::fromConf(conf);
  CHECK(off.initial_rate == 0);  // backpressure is off
  CHECK(off.startingLimit() == 2000);
  CHECK(off.capped(5000) == 2000);
  CHECK(off.capped(300) == 300);

  conf.set("streaming.backpressure.enabled", "true");
  CHECK(ReceiverRateLimits::fromConf(conf).startingLimit() == 500);
  conf.set("streaming.backpressure.initialRate", "9000");
  CHECK(ReceiverRateLimits::fromConf(conf).startingLimit() == 2000);  // within maxRate
  conf.set("streaming.receiver.maxRate", "-1");
  CHECK(ReceiverRateLimits::fromConf(conf).startingLimit() == 9000);
}

}  // namespace
}  // namespace sluice
