#include "common/auth_secret.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/config_keys.h"
#include "common/paths.h"

namespace sluice::auth {

StatusOr<std::optional<std::string>> clusterSecret(const Conf& conf) {
  if (!conf.get(keys::kAuthEnabled)) return std::optional<std::string>();
  std::string secret;
  std::string from;
  if (conf.contains(keys::kAuthSecret)) {
    secret = conf.get(keys::kAuthSecret);
    from = keys::kAuthSecret.name;
  } else if (conf.contains(keys::kAuthSecretFile)) {
    auto read = readKeyFile(keys::kAuthSecretFile.name, conf.get(keys::kAuthSecretFile));
    if (!read) return read.status();
    secret = std::move(*read);
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    from = conf.get(keys::kAuthSecretFile);
  } else if (const char* env = std::getenv(kSecretEnv); env != nullptr) {
    secret = env;
    from = kSecretEnv;
  } else {
    return Status::invalidArgument(std::string(keys::kAuthEnabled.name) + " is true but no secret is set: give " +
                                   keys::kAuthSecretFile.name + ", the environment variable " + kSecretEnv + " or " +
                                   keys::kAuthSecret.name);
  }
  if (secret.empty()) return Status::invalidArgument("the authentication secret from " + from + " is empty");
  if (secret.size() < kRecommendedSecretBytes) {
    spdlog::warn("the authentication secret from {} has {} bytes; use at least {} random ones", from, secret.size(),
                 kRecommendedSecretBytes);
  }
  return std::optional<std::string>(std::move(secret));
}

Conf withoutSecret(const Conf& conf) {
  Conf out;
  for (const auto& [key, value] : conf.all()) {
    if (key != keys::kAuthSecret.name && key != keys::kAuthSecretFile.name) out.set(key, value);
  }
  return out;
}

void handTo(SpawnOptions& spawn, const std::optional<std::string>& secret) {
  spawn.argv.push_back("--conf");
  spawn.argv.push_back(std::string(keys::kAuthEnabled.name) + (secret ? "=true" : "=false"));
  if (secret) spawn.env[kSecretEnv] = *secret;
}

bool isSecretKey(const std::string& key) {
  std::string lower = key;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"secret", "password", "token"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace sluice::auth
