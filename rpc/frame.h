// The on-wire frame of every Sluice message (documented in rpc/FORMAT.md):
//
//   offset size field
//   0      4    magic 0x534C5531 ("SLU1"), little-endian
//   4      2    tag (MessageTag), little-endian
//   6      2    flags (bit 0: this frame is a reply)
//   8      8    correlation id: nonzero ties a reply to its request
//   16     4    payload length in bytes
//   20     n    payload: Cereal binary archive of the message struct
//
// A frame travels as one ZeroMQ message part (after the routing identity on a ROUTER).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/serialize.h"
#include "common/config_keys.h"
#include "common/status.h"
#include "rpc/message_tag.h"

namespace sluice::rpc {

constexpr uint32_t kFrameMagic = 0x534C5531;
constexpr size_t kFrameHeaderSize = 20;
constexpr uint16_t kFlagReply = 1;
// Frames above this size are refused by decodeFrame unless the caller allows more; the
// default of rpc.maxFrameBytes (rpc/frame_limit.h; the choice is explained in rpc/FORMAT.md).
constexpr size_t kDefaultMaxFrameBytes = keys::kRpcMaxFrameBytes.default_value;

struct Envelope {
  MessageTag tag = MessageTag::kInvalid;
  uint16_t flags = 0;
  uint64_t correlation = 0;
  std::string payload;

  bool isReply() const { return (flags & kFlagReply) != 0; }
};

std::string encodeFrame(MessageTag tag, std::string_view payload, uint64_t correlation = 0,
                        uint16_t flags = 0);

// The one decode function: rejects a frame shorter than the header, a bad magic, an unknown
// tag, a payload length that does not match the frame, or a frame above max_bytes.
StatusOr<Envelope> decodeFrame(const void* data, size_t size,
                               size_t max_bytes = kDefaultMaxFrameBytes);

// Typed helpers. A message struct M has `static constexpr MessageTag kTag` and a Cereal
// serialize() member.
template <class M>
std::string encode(const M& msg, uint64_t correlation = 0, uint16_t flags = 0) {
  return encodeFrame(M::kTag, toBytes(msg), correlation, flags);
}

// Decodes the payload of env as M; a wrong tag or a truncated payload is an error.
template <class M>
StatusOr<M> decodeAs(const Envelope& env) {
  if (env.tag != M::kTag) {
    return Status::invalidArgument(std::string("expected message ") + tagName(M::kTag) +
                                   ", got " + tagName(env.tag));
  }
  M msg{};
  Status st = fromBytes(env.payload, msg);
  if (!st) return Status::corruption(std::string("bad ") + tagName(M::kTag) + " payload: " +
                                     st.message());
  return msg;
}

}  // namespace sluice::rpc
