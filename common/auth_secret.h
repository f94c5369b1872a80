// The cluster's shared secret (SECURITY.md): whether authentication is on in this process,
// and the secret it proves knowledge of.
//
// auth.enabled turns it on. The secret comes from, in order: auth.secret (a --conf value,
// visible in process lists), the file auth.secretFile (its content, trailing newlines
// removed), or the environment variable SLUICE_AUTH_SECRET. A worker hands the secret to
// the executors and drivers it launches through SLUICE_AUTH_SECRET, never on a command line
// and never inside an application's configuration.
#pragma once

#include <optional>
#include <string>

#include "common/conf.h"
#include "common/process.h"
#include "common/status.h"

namespace sluice::auth {

// The environment variable that carries the secret to a process.
inline constexpr char kSecretEnv[] = "SLUICE_AUTH_SECRET";
// Secrets shorter than this get one warning: the key derivation is slow on purpose, but a
// short secret can still be guessed offline (SECURITY.md).
inline constexpr size_t kRecommendedSecretBytes = 16;

// The secret when auth.enabled is true; nullopt when it is false. An error, naming where it
// looked, when auth.enabled is true and no non-empty secret is found, or when the secret file
// cannot be read.
StatusOr<std::optional<std::string>> clusterSecret(const Conf& conf);

// conf without the keys that carry the secret (auth.secret, auth.secretFile): what may be
// sent to another process or shown on a page.
Conf withoutSecret(const Conf& conf);

// Makes spawn's process run with auth.enabled as given by secret (set: on) and, when on,
// hands it the secret through SLUICE_AUTH_SECRET: appends `--conf auth.enabled=...` to its
// argv (so call it where a --conf may come) and sets its environment.
void handTo(SpawnOptions& spawn, const std::optional<std::string>& secret);

// Whether key names a secret, for pages that list a configuration (Spark's redaction
// regex: secret, password, token).
bool isSecretKey(const std::string& key);

}  // namespace sluice::auth
