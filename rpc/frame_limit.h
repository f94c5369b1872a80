// The largest frame a process accepts or sends: `rpc.maxFrameBytes` (a size: "256m", "1g").
// It bounds every incoming frame in decodeFrame() and, through ZMQ_MAXMSGSIZE, in ZeroMQ
// itself (a larger message closes the connection before it is buffered whole), and every
// outgoing frame (a larger one is refused at the sender with a clear error). rpc/FORMAT.md
// says why the default is what it is.
#pragma once

#include <cstddef>

#include "common/conf.h"
#include "rpc/frame.h"

namespace sluice::rpc {

// The smallest limit allowed: an application chunk (8 MiB, executor and worker fetches) and
// its header must fit.
constexpr size_t kMinMaxFrameBytes = size_t{16} << 20;
// The largest limit the frame format can carry: a 4-byte payload length.
constexpr size_t kMaxMaxFrameBytes = kFrameHeaderSize + 0xFFFFFFFFull;

// conf's rpc.maxFrameBytes (keys::kRpcMaxFrameBytes), or kDefaultMaxFrameBytes; a value outside
// [kMinMaxFrameBytes, kMaxMaxFrameBytes] is clamped with one warn line.
size_t maxFrameBytes(const Conf& conf);

}  // namespace sluice::rpc
