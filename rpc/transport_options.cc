#include "rpc/transport_options.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "common/auth_secret.h"
#include "rpc/frame_limit.h"

namespace sluice::rpc {

namespace {

// Keys no other process has: nothing can connect to or be reached from this transport.
std::shared_ptr<const CurveKeys> unusableKeys() {
  if (sodium_init() < 0) return std::make_shared<CurveKeys>(CurveKeys{std::string(32, '\0'), std::string(32, '\1')});
  unsigned char pub[crypto_box_PUBLICKEYBYTES];
  unsigned char sec[crypto_box_SECRETKEYBYTES];
  crypto_box_keypair(pub, sec);
  return std::make_shared<CurveKeys>(
      CurveKeys{std::string(reinterpret_cast<char*>(pub), sizeof pub), std::string(reinterpret_cast<char*>(sec), sizeof sec)});
}

}  // namespace

TransportOptions transportOptions(const Conf& conf) {
  TransportOptions options;
  options.max_frame_bytes = maxFrameBytes(conf);
  auto secret = auth::clusterSecret(conf);
  if (!secret) {
    spdlog::error("authentication is on but {}; no peer will be able to connect", secret.status().message());
    options.curve = unusableKeys();
    return options;
  }
  if (!secret->has_value()) return options;
  auto keys = curveKeysFor(**secret);
  if (!keys) {
    spdlog::error("authentication is on but {}; no peer will be able to connect", keys.status().message());
    options.curve = unusableKeys();
    return options;
  }
  options.curve = *keys;
  return options;
}

}  // namespace sluice::rpc
