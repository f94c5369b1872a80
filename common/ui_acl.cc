#include "common/ui_acl.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "common/auth_secret.h"
#include "common/config_keys.h"
#include "common/paths.h"

namespace sluice {
namespace {

// libsodium's own start (its RNG, its CPU feature checks); idempotent and thread-safe.
void initSodium() {
  static const int ready = sodium_init();
  (void)ready;  // -1 only when /dev/urandom cannot be opened: randombytes then aborts loudly
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Why name cannot be a users file's user, or "".
std::string badUserName(std::string_view name) {
  if (name.empty()) return "an empty user name";
  if (name == kUiOperator) return "the user sluice, whose password is the cluster secret (it is not in the file)";
  for (char c : name) {
    if (c == ':' || std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      return "the user name '" + std::string(name) + "' (no ':', spaces or control characters)";
    }
  }
  return "";
}

std::array<unsigned char, 32> keyedDigest(std::string_view text, const std::array<unsigned char, 32>* key) {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     key ? key->data() : nullptr, key ? key->size() : 0);
  return out;
}


}  // namespace

UiRight rightFor(std::string_view method) {
  return method == "GET" || method == "HEAD" ? UiRight::kView : UiRight::kModify;
}

std::optional<BasicCredentials> parseBasicAuthorization(std::string_view header) {
  header = trim(header);
  constexpr std::string_view kScheme = "basic ";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
  }
  std::string_view encoded = trim(header.substr(kScheme.size()));
  std::string decoded(encoded.size(), '\0');  // base64 never grows when decoded
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), encoded.data(),
                        encoded.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  decoded.resize(length);
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

StatusOr<UiUsers> parseUsersFile(std::string_view text) {
  UiUsers users;
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return Status::invalidArgument(where + "expected name:hash (sluice-submit --hash-password NAME prints one)");
    }
    std::string_view name = line.substr(0, colon);
    std::string_view hash = line.substr(colon + 1);
    if (std::string why = badUserName(name); !why.empty()) return Status::invalidArgument(where + why);
    if (hash.rfind("$argon2", 0) != 0) {
      return Status::invalidArgument(where + "the hash of " + std::string(name) +
                                     " is not an Argon2 hash (sluice-submit --hash-password NAME makes one)");
    }
    if (!users.emplace(name, hash).second) {
      return Status::invalidArgument(where + "the user " + std::string(name) + " is given twice");
    }
  }
  return users;
}

StatusOr<std::string> usersFileLine(const std::string& name, std::string_view password) {
  if (std::string why = badUserName(name); !why.empty()) return Status::invalidArgument("cannot add " + why);
  initSodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::internal("crypto_pwhash_str failed (out of memory?)");
  }
  return name + ":" + hash;
}

UiAclList parseAclList(std::string_view value) {
  UiAclList list;
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view name = trim(value.substr(0, comma));
    value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
    if (name == "*") {
      list.everyone = true;
    } else if (!name.empty()) {
      list.names.emplace(name);
    }
  }
  return list;
}

StatusOr<std::shared_ptr<const UiAcl>> UiAcl::fromConf(const Conf& conf) {
  auto secret = auth::clusterSecret(conf);
  if (!secret) return secret.status();
  if (!secret->has_value()) return std::shared_ptr<const UiAcl>();
  UiUsers users;
  const std::string path = conf.get(keys::kUiUsersFile);
  if (!path.empty()) {
    auto text = readKeyFile(keys::kUiUsersFile.name, path);
    if (!text) return text.status();
    auto parsed = parseUsersFile(*text);
    if (!parsed) {
      return Status::invalidArgument(std::string(keys::kUiUsersFile.name) + " " + path + ", " +
                                     parsed.status().message());
    }
    users = std::move(*parsed);
  }
  UiAclList view = parseAclList(conf.get(keys::kUiAclsView));
  UiAclList modify = parseAclList(conf.get(keys::kUiAclsModify));
  for (const auto& [key, list] : {std::pair{keys::kUiAclsView.name, &view}, std::pair{keys::kUiAclsModify.name, &modify}}) {
    for (const std::string& name : list->names) {
      if (name != kUiOperator && !users.count(name)) {
        spdlog::warn("{} names {}, who is not in {} ('{}'): nobody can log in as {}", key, name,
                     keys::kUiUsersFile.name, path, name);
      }
    }
  }
  return std::shared_ptr<const UiAcl>(
      std::make_shared<UiAcl>(std::move(**secret), std::move(users), std::move(view), std::move(modify)));
}

UiAcl::UiAcl(std::string secret, UiUsers users, UiAclList view, UiAclList modify)
    : users_(std::move(users)), view_(std::move(view)), modify_(std::move(modify)) {
  initSodium();
  randombytes_buf(cache_key_.data(), cache_key_.size());
  secret_digest_ = keyedDigest(secret, &cache_key_);
  sodium_memzero(secret.data(), secret.size());
}

UiAcl::Decision UiAcl::check(std::string_view authorization, UiRight right) const {
  Decision d;
  auto credentials = parseBasicAuthorization(authorization);
  if (!credentials) return d;
  d.user = credentials->user;
  const Digest key = keyedDigest(authorization, &cache_key_);
  if (!cached(key)) {
    if (!authenticate(*credentials)) return d;
    remember(key);
  }
  const bool is_operator = credentials->user == kUiOperator;
  bool allowed = is_operator || (right == UiRight::kView ? view_ : modify_).allows(credentials->user);
  d.verdict = allowed ? Verdict::kAllowed : Verdict::kForbidden;
  return d;
}

bool UiAcl::authenticate(const BasicCredentials& c) const {
  if (c.user == kUiOperator) {
    // Digests of equal length, compared in constant time: neither the secret's bytes nor its
    // length show in the time taken.
    Digest given = keyedDigest(c.password, &cache_key_);
    return sodium_memcmp(given.data(), secret_digest_.data(), given.size()) == 0;
  }
  auto it = users_.find(c.user);
  if (it == users_.end()) return false;
  std::lock_guard<std::mutex> one_at_a_time(verify_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++slow_verifications_;
  }
  return crypto_pwhash_str_verify(it->second.c_str(), c.password.data(), c.password.size()) == 0;
}

bool UiAcl::cached(const Digest& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [digest, last_use] : cache_) {
    if (sodium_memcmp(digest.data(), key.data(), key.size()) == 0) {
      last_use = ++clock_;
      return true;
    }
  }
  return false;
}

void UiAcl::remember(const Digest& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() < kCacheSize) {
    cache_.emplace_back(key, ++clock_);
    return;
  }
  auto oldest = std::min_element(cache_.begin(), cache_.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
  *oldest = {key, ++clock_};
}

uint64_t UiAcl::slowVerifications() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slow_verifications_;
}

}  // namespace sluice
