// libFuzzer target: any bytes as an RPC frame, through rpc::decodeFrame, and its payload (or,
// if the bytes are no frame, the bytes themselves) decoded as EVERY message type of
// rpc/message_types.h (scripts/fuzz.sh).
//
// Checks, beyond "no crash, no sanitizer report" (and no allocation above fuzz.sh's
// -malloc_limit_mb, which catches a decoder that trusts a claimed length):
//   - a frame that decodes re-encodes to exactly the same bytes, with a known tag;
//   - a frame above the size limit is always refused;
//   - a payload that decodes as a message re-encodes to at most as many bytes as it had
//     (decoding never makes more of the input than was there), and that encoding decodes
//     back to the same message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/serialize.h"
#include "rpc/frame.h"
#include "rpc/message_types.h"

namespace {

template <class M>
void decodeAs(std::string_view payload) {
  M msg{};
  if (!sluice::fromBytes(payload, msg).isOk()) return;
  std::string once = sluice::toBytes(msg);
  if (once.size() > payload.size()) std::abort();
  M again{};
  if (!sluice::fromBytes(once, again).isOk()) std::abort();
  if (sluice::toBytes(again) != once) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sluice::rpc;
  auto env = decodeFrame(data, size);
  if (env.isOk()) {
    std::string again = encodeFrame(env->tag, env->payload, env->correlation, env->flags);
    if (again != std::string(reinterpret_cast<const char*>(data), size)) std::abort();
    if (!isKnownTag(static_cast<uint16_t>(env->tag))) std::abort();
  }
  // A limit below the frame's size refuses it, whatever it holds.
  if (size > 0) {
    auto limited = decodeFrame(data, size, size - 1);
    if (limited.isOk()) std::abort();
  }
  std::string_view payload = env.isOk() ? std::string_view(env->payload)
                                        : std::string_view(reinterpret_cast<const char*>(data), size);
  AllMessages::forEach([&](auto type) { decodeAs<typename decltype(type)::type>(payload); });
  return 0;
}
