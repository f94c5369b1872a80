// ReceiverRateLimits: the rate limits of every receiver, from the configuration:
// streaming.receiver.maxRate, the cap, and with streaming.backpressure.enabled,
// streaming.backpressure.initialRate, the limit until backpressure's first bound. The
// driver (what /streaming/receivers shows) and each executor (the receiver's token bucket)
// both read them here, so that they agree.
//
// Spark applies initialRate without backpressure too; its documentation, and Sluice, only
// with it.
#pragma once

#include <cstdint>

#include "common/conf.h"

namespace sluice {

struct ReceiverRateLimits {
  int64_t max_rate = 0;      // records per second, 0: unlimited
  int64_t initial_rate = 0;  // until backpressure's first bound, 0: none

  // Negative values count as 0.
  static ReceiverRateLimits fromConf(const Conf& conf);
  // The limit a receiver starts with: initial_rate within max_rate, else max_rate; 0 when
  // unlimited.
  int64_t startingLimit() const;
  // A bound from backpressure (> 0) within max_rate, as Spark's RateLimiter.updateRate.
  int64_t capped(int64_t records_per_second) const;
};

}  // namespace sluice
