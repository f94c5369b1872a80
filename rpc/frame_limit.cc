#include "rpc/frame_limit.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sluice::rpc {

size_t maxFrameBytes(const Conf& conf) {
  int64_t wanted = conf.get(keys::kRpcMaxFrameBytes);
  size_t limit = std::clamp<int64_t>(wanted, static_cast<int64_t>(kMinMaxFrameBytes),
                                     static_cast<int64_t>(kMaxMaxFrameBytes));
  if (static_cast<int64_t>(limit) != wanted) {
    spdlog::warn("config {}={} is outside [{}, {}] bytes; using {}", keys::kRpcMaxFrameBytes.name, wanted,
                 kMinMaxFrameBytes, kMaxMaxFrameBytes, limit);
  }
  return limit;
}

}  // namespace sluice::rpc
