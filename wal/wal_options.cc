#include "wal/wal_options.h"

namespace sluice::wal {

const char* fsyncPolicyName(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::kAlways: return "always";
    case FsyncPolicy::kGroup: return "group";
    case FsyncPolicy::kNone: return "none";
  }
  return "?";
}

StatusOr<FsyncPolicy> parseFsyncPolicy(const std::string& text) {
  if (text == "always") return FsyncPolicy::kAlways;
  if (text == "group") return FsyncPolicy::kGroup;
  if (text == "none") return FsyncPolicy::kNone;
  return Status::invalidArgument("bad fsync policy '" + text + "' (expected always, group or none)");
}

StatusOr<WalOptions> WalOptions::fromConf(const Conf& conf) {
  WalOptions options;
  auto bad = [](const char* key, const Status& st) {
    return Status::invalidArgument(std::string("config ") + key + ": " + st.message());
  };
  if (conf.contains(keys::kWalFsync)) {
    auto policy = parseFsyncPolicy(conf.get(keys::kWalFsync));
    if (!policy) return bad(keys::kWalFsync.name, policy.status());
    options.fsync = *policy;
  }
  if (conf.contains(keys::kWalRollingInterval)) {
    auto interval = parseDuration(conf.get(keys::kWalRollingInterval.name));
    if (!interval) return bad(keys::kWalRollingInterval.name, interval.status());
    if (interval->count() <= 0) return bad(keys::kWalRollingInterval.name, Status::invalidArgument("must be positive"));
    options.rolling_interval_ms = interval->count();
  }
  if (conf.contains(keys::kWalRollingSize)) {
    auto size = parseBytes(conf.get(keys::kWalRollingSize.name));
    if (!size) return bad(keys::kWalRollingSize.name, size.status());
    if (*size <= 0) return bad(keys::kWalRollingSize.name, Status::invalidArgument("must be positive"));
    options.rolling_size_bytes = static_cast<uint64_t>(*size);
  }
  return options;
}

}  // namespace sluice::wal
