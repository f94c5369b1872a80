// TransportOptions: what a Transport needs from its process's configuration, read once.
#pragma once

#include <cstddef>
#include <memory>

#include "common/conf.h"
#include "rpc/curve_keys.h"
#include "rpc/frame.h"

namespace sluice::rpc {

struct TransportOptions {
  // Bounds every frame received or sent (rpc/frame_limit.h).
  size_t max_frame_bytes = kDefaultMaxFrameBytes;
  // With auth.enabled: the cluster's keys, and every socket is CURVE (rpc/curve_keys.h).
  // Null: plain ZeroMQ (NULL mechanism).
  std::shared_ptr<const CurveKeys> curve;
};

// conf's rpc.maxFrameBytes and, when auth.enabled, the keys derived from the cluster secret
// (common/auth_secret.h). Every daemon checks the secret at start (keys::checkAtStart), so
// it is found here; should it fail now all the same (a secret file removed since), the
// failure is logged and the keys are random ones no peer has: the transport fails closed,
// it never runs unauthenticated when auth.enabled is set.
TransportOptions transportOptions(const Conf& conf);

}  // namespace sluice::rpc
