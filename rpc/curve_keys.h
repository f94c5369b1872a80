// The cluster's CURVE keypair, derived from the shared secret (SECURITY.md, "Keys").
//
// Every process of a cluster derives the same keypair from the secret: a 32-byte seed by
// Argon2id (libsodium's crypto_pwhash, a fixed salt, its INTERACTIVE limits: slow on purpose,
// so that each guess of a weak secret costs what it costs here), which is the Curve25519
// secret key; the public key is its X25519 base-point product. A ROUTER serves with that
// secret key; a DEALER connects with it as its own key and expects it as the server's; the
// ZAP handler (rpc/zap_handler.h) accepts only clients whose key is that public key. A
// handshake therefore completes only between two processes that both know the secret.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace sluice::rpc {

struct CurveKeys {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 32 bytes
};

// The keypair for secret. Derived once per distinct secret in a process (later calls return
// the cached pair); Internal if libsodium cannot run (out of memory for Argon2).
StatusOr<std::shared_ptr<const CurveKeys>> curveKeysFor(const std::string& secret);

}  // namespace sluice::rpc
