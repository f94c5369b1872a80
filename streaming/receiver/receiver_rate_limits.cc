#include "streaming/receiver/receiver_rate_limits.h"

#include <algorithm>

#include "common/config_keys.h"

namespace sluice {

ReceiverRateLimits ReceiverRateLimits::fromConf(const Conf& conf) {
  ReceiverRateLimits limits;
  limits.max_rate = std::max<int64_t>(0, conf.get(keys::kStreamingReceiverMaxRate));
  if (conf.get(keys::kStreamingBackpressureEnabled)) {
    limits.initial_rate = std::max<int64_t>(0, conf.get(keys::kStreamingBackpressureInitialRate));
  }
  return limits;
}

int64_t ReceiverRateLimits::startingLimit() const {
  return initial_rate > 0 ? capped(initial_rate) : max_rate;
}

int64_t ReceiverRateLimits::capped(int64_t records_per_second) const {
  return max_rate > 0 ? std::min(records_per_second, max_rate) : records_per_second;
}

}  // namespace sluice
