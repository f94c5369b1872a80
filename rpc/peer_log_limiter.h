// The transport's rate limit on log lines about one peer lives in common/ since the web UIs
// use it too (refused credentials); this name keeps rpc/ code unchanged.
#pragma once

#include "common/peer_log_limiter.h"

namespace sluice::rpc {
using PeerLogLimiter = sluice::PeerLogLimiter;
}  // namespace sluice::rpc
