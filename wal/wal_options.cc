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

StatusOr<WalOptions> WalOptions::fromConf(const Conf& conf, const std::string& prefix) {
  WalOptions options;
  auto bad = [&](const std::string& key, const Status& st) {
    return Status::invalidArgument("config " + prefix + key + ": " + st.message());
  };
  if (conf.contains(prefix + "fsync")) {
    auto policy = parseFsyncPolicy(conf.get(prefix + "fsync"));
    if (!policy) return bad("fsync", policy.status());
    options.fsync = *policy;
  }
  if (conf.contains(prefix + "rollingInterval")) {
    auto interval = parseDuration(conf.get(prefix + "rollingInterval"));
    if (!interval) return bad("rollingInterval", interval.status());
    if (interval->count() <= 0) return bad("rollingInterval", Status::invalidArgument("must be positive"));
    options.rolling_interval_ms = interval->count();
  }
  if (conf.contains(prefix + "rollingSize")) {
    auto size = parseBytes(conf.get(prefix + "rollingSize"));
    if (!size) return bad("rollingSize", size.status());
    if (*size <= 0) return bad("rollingSize", Status::invalidArgument("must be positive"));
    options.rolling_size_bytes = static_cast<uint64_t>(*size);
  }
  return options;
}

}  // namespace sluice::wal
