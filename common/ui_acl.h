// Who may use a web UI (Spark's ACLs: spark.acls.enable, spark.ui.view.acls, spark.modify.acls),
// checked on every request by HttpServer::requireAuth (common/http_server.h) when
// auth.enabled is true.
//
// Users prove who they are with HTTP basic auth:
// - `sluice` with the cluster secret (common/auth_secret.h) as password: the operator, who
//   may view and modify;
// - a user of ui.usersFile, a file of `name:hash` lines (blank lines and `#` comments
//   skipped), the hash made by libsodium's crypto_pwhash_str (Argon2id):
//   `sluice-submit --hash-password NAME` prints such a line.
// What they may do: view (GET, HEAD) when ui.acls.view names them, modify (every other
// method: the kill actions) when ui.acls.modify does; both are comma lists of user names, `*`
// for every user of the file. Defaults: view `*`, modify none (only `sluice`).
//
// Secrets are compared in constant time; a password hash is verified with Argon2id, slow on
// purpose, so the last kCacheSize credentials that were verified are remembered (by a keyed
// hash of the Authorization header, never the password itself) and a page's many requests
// cost one verification. THREADING: check() may run on any number of threads at once; the
// Argon2 verifications run one at a time (each takes the hash's memory, 64 MiB by default).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/conf.h"
#include "common/status.h"

namespace sluice {

// The user whose password is the cluster secret.
inline constexpr char kUiOperator[] = "sluice";

// What a request asks to do: GET and HEAD view, every other method modifies.
enum class UiRight { kView, kModify };
UiRight rightFor(std::string_view http_method);

// The user and password of an `Authorization: Basic <base64(user:password)>` header;
// nullopt for another scheme or a value that does not decode.
struct BasicCredentials {
  std::string user;
  std::string password;
};
std::optional<BasicCredentials> parseBasicAuthorization(std::string_view header);

// name -> password hash, from a users file's text. InvalidArgument naming the line for a
// line that is not `name:hash`, a hash that is not crypto_pwhash_str's ($argon2...), a name
// given twice, or the name `sluice` (the operator's password is the cluster secret).
using UiUsers = std::map<std::string, std::string>;
StatusOr<UiUsers> parseUsersFile(std::string_view text);

// A users file line for name with password's Argon2id hash. InvalidArgument for a name
// parseUsersFile would refuse; Internal when libsodium fails (out of memory).
StatusOr<std::string> usersFileLine(const std::string& name, std::string_view password);

// A ui.acls.* value: its names ("" none); `*` anywhere means every user of the file.
struct UiAclList {
  bool everyone = false;
  std::set<std::string> names;
  bool allows(const std::string& user) const { return everyone || names.count(user) > 0; }
};
UiAclList parseAclList(std::string_view value);

class UiAcl {
 public:
  static constexpr size_t kCacheSize = 64;

  // From conf: nullptr when auth.enabled is false. An error when the secret cannot be found
  // (auth::clusterSecret) or ui.usersFile cannot be read or parsed. Names in the ACLs that
  // are neither `sluice` nor in the file get one warning.
  static StatusOr<std::shared_ptr<const UiAcl>> fromConf(const Conf& conf);

  UiAcl(std::string secret, UiUsers users, UiAclList view, UiAclList modify);

  enum class Verdict {
    kAllowed,
    kUnauthenticated,  // no credentials, or wrong ones: 401
    kForbidden,        // a known user without the right: 403
  };
  struct Decision {
    Verdict verdict = Verdict::kUnauthenticated;
    std::string user;  // as the header named it ("" when there was none)
  };
  // Whether the request whose Authorization header is authorization ("" when absent) may
  // do right. Thread-safe.
  Decision check(std::string_view authorization, UiRight right) const;

  // Argon2 verifications run so far (the cache's misses on users of the file); for tests.
  uint64_t slowVerifications() const;

 private:
  using Digest = std::array<unsigned char, 32>;
  bool authenticate(const BasicCredentials& credentials) const;
  bool cached(const Digest& key) const;
  void remember(const Digest& key) const;

  Digest secret_digest_;  // of the cluster secret, compared in constant time
  UiUsers users_;
  UiAclList view_;
  UiAclList modify_;
  std::array<unsigned char, 32> cache_key_;  // random per process: the cache's hashes mean nothing elsewhere

  mutable std::mutex mu_;  // cache_, clock_, slow_verifications_
  mutable std::vector<std::pair<Digest, uint64_t>> cache_;  // header digest, last use
  mutable uint64_t clock_ = 0;
  mutable uint64_t slow_verifications_ = 0;
  mutable std::mutex verify_mu_;  // one Argon2 verification at a time
};

}  // namespace sluice
