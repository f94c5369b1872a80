// libFuzzer target: any bytes as an RPC frame, through rpc::decodeFrame (scripts/fuzz.sh).
//
// Checks, beyond "no crash, no sanitizer report": a frame that decodes re-encodes to exactly
// the same bytes, and a frame above the size limit is always refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "rpc/frame.h"

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
  return 0;
}
