#include "rpc/curve_keys.h"

#include <sodium.h>

#include <map>
#include <mutex>

namespace sluice::rpc {

namespace {

// Fixed, so that every process derives the same keys; versioned, so that a future change of
// the derivation cannot silently produce keys an older process would accept.
constexpr unsigned char kSalt[crypto_pwhash_SALTBYTES] = {'s', 'l', 'u', 'i', 'c', 'e', '-', 'c',
                                                          'u', 'r', 'v', 'e', '-', 'v', '0', '1'};

StatusOr<std::shared_ptr<const CurveKeys>> derive(const std::string& secret) {
  if (sodium_init() < 0) return Status::internal("libsodium cannot be initialized");
  unsigned char seed[crypto_scalarmult_SCALARBYTES];
  if (crypto_pwhash(seed, sizeof seed, secret.data(), secret.size(), kSalt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                    crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::internal("cannot derive the CURVE keys from the secret (Argon2id ran out of memory)");
  }
  unsigned char pub[crypto_scalarmult_BYTES];
  crypto_scalarmult_base(pub, seed);
  auto keys = std::make_shared<CurveKeys>();
  keys->secret_key.assign(reinterpret_cast<const char*>(seed), sizeof seed);
  keys->public_key.assign(reinterpret_cast<const char*>(pub), sizeof pub);
  sodium_memzero(seed, sizeof seed);
  return std::shared_ptr<const CurveKeys>(std::move(keys));
}

}  // namespace

StatusOr<std::shared_ptr<const CurveKeys>> curveKeysFor(const std::string& secret) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const CurveKeys>> cache;  // a process has one secret, tests a few
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(secret);
  if (it != cache.end()) return it->second;
  auto keys = derive(secret);
  if (!keys) return keys.status();
  cache.emplace(secret, *keys);
  return *keys;
}

}  // namespace sluice::rpc
