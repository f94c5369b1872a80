#include "rpc/frame_limit.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sluice::rpc {

size_t maxFrameBytes(const Conf& conf) {
  int64_t wanted = conf.getBytes(kMaxFrameBytesKey, static_cast<int64_t>(kDefaultMaxFrameBytes));
  size_t limit = std::clamp<int64_t>(wanted, static_cast<int64_t>(kMinMaxFrameBytes),
                                     static_cast<int64_t>(kMaxMaxFrameBytes));
  if (static_cast<int64_t>(limit) != wanted) {
    spdlog::warn("config {}={} is outside [{}, {}] bytes; using {}", kMaxFrameBytesKey, wanted,
                 kMinMaxFrameBytes, kMaxMaxFrameBytes, limit);
  }
  return limit;
}

}  // namespace sluice::rpc
