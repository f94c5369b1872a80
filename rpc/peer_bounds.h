// What one peer can make a process hold in its transport, whatever it sends and however
// slowly it reads (rpc/FORMAT.md, "Limits"). With L = rpc.maxFrameBytes (rpc/frame_limit.h):
//
//   inbound:  ZeroMQ queues at most kReceiveHighWaterMark whole frames from one connection,
//             plus the one it is reading; then it stops reading that connection, and TCP makes
//             the peer wait (an inbound ZeroMQ pipe never drops). (kReceiveHighWaterMark + 1) * L.
//   outbound: the frames handed to ZeroMQ for one peer and not yet written to its connection,
//             plus a DEALER's backlog, are at most sendBudgetBytes(L) = kSendBudgetFrames * L
//             bytes (rpc/send_budget.h); a frame that does not fit is dropped with a warning.
//
// The frame being handled (with its decoded copy and the reply it makes) comes on top, once per
// process, not per peer: the transport's single I/O thread handles one frame at a time.
#pragma once

#include <cstddef>

namespace sluice::rpc {

// Frames ZeroMQ queues from one connection before it stops reading it. Lower costs CPU: the
// reader wakes ZeroMQ's I/O thread every kReceiveHighWaterMark / 2 frames to refill the
// queue, and at 4 the driver of 10,000 empty tasks used about 15% more CPU (bench/README.md's
// task launch benchmark); at 16 no difference could be measured.
constexpr int kReceiveHighWaterMark = 16;
// Frames ZeroMQ queues to one connection; bytes are bounded by the send budget below long
// before this count is reached by frames of any size, so bursts of small frames never hit it.
constexpr int kSendHighWaterMark = 100000;
// Bytes outstanding to one peer, in frames of the largest size.
constexpr size_t kSendBudgetFrames = 4;

constexpr size_t sendBudgetBytes(size_t max_frame_bytes) { return kSendBudgetFrames * max_frame_bytes; }

// The most one peer can make a process hold (see the file comment), given L.
constexpr size_t perPeerBoundBytes(size_t max_frame_bytes) {
  return (kReceiveHighWaterMark + 1) * max_frame_bytes + sendBudgetBytes(max_frame_bytes);
}

}  // namespace sluice::rpc
