// UiAcl: the basic auth header, the users file, the ACL lists, and who may view and modify,
// with the verification cache bounded.
#include "common/ui_acl.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "common/config_keys.h"
#include "tests/common/scratch_dir.h"

namespace sluice {
namespace {

// "Basic <base64(user:password)>", as a browser sends it.
std::string basic(const std::string& user, const std::string& password, const std::string& gap = " ") {
  static const char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = user + ":" + password;
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kDigits[(n >> 18) & 63];
    out += kDigits[(n >> 12) & 63];
    out += i + 1 < in.size() ? kDigits[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kDigits[n & 63] : '=';
  }
  return "Basic" + gap + out;
}

// The hash part of a users file line.
std::string hashOf(const std::string& name, const std::string& password) {
  auto line = usersFileLine(name, password);
  REQUIRE(line.isOk());
  return line->substr(name.size() + 1);
}

using Verdict = UiAcl::Verdict;

TEST_CASE("ui acl: the basic auth header gives its user and password", "[common]") {
  auto c = parseBasicAuthorization(basic("alice", "pa:ss word"));
  REQUIRE(c.has_value());
  CHECK(c->user == "alice");
  CHECK(c->password == "pa:ss word");  // split at the first ':' only
  CHECK(parseBasicAuthorization("bAsIc " + basic("bob", "x").substr(6))->user == "bob");
  CHECK_FALSE(parseBasicAuthorization(""));
  CHECK_FALSE(parseBasicAuthorization("Bearer abc"));
  CHECK_FALSE(parseBasicAuthorization("Basic not*base64"));
  CHECK_FALSE(parseBasicAuthorization("Basic YWxpY2U="));  // "alice": no ':'
}

TEST_CASE("ui acl: the users file has name:hash lines, comments and blank lines", "[common]") {
  const std::string hash = hashOf("alice", "secret words");
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  auto users = parseUsersFile("# web UI users\n\nalice:" + hash + "\r\n  bob:" + hash + "  \n");
  REQUIRE(users.isOk());
  CHECK(users->size() == 2);
  CHECK(users->at("alice") == hash);
  CHECK(users->at("bob") == hash);

  auto refused = [](const std::string& text) {
    auto parsed = parseUsersFile(text);
    REQUIRE_FALSE(parsed.isOk());
    return parsed.status().message();
  };
  CHECK_THAT(refused("alice:" + hash + "\nbob\n"), Catch::StartsWith("line 2: expected name:hash"));
  CHECK_THAT(refused("alice:plaintext\n"), Catch::Contains("line 1: the hash of alice is not an Argon2 hash"));
  CHECK_THAT(refused("alice:" + hash + "\nalice:" + hash), Catch::Contains("line 2: the user alice is given twice"));
  CHECK_THAT(refused("sluice:" + hash), Catch::Contains("the user sluice, whose password is the cluster secret"));
  CHECK_THAT(refused(":" + hash), Catch::Contains("an empty user name"));
  CHECK_THAT(refused("al ice:" + hash), Catch::Contains("the user name 'al ice'"));
  CHECK_FALSE(usersFileLine("sluice", "x").isOk());
  CHECK_FALSE(usersFileLine("a:b", "x").isOk());
}

TEST_CASE("ui acl: acl lists are comma lists of names, * for everyone", "[common]") {
  UiAclList list = parseAclList(" alice, bob ,,");
  CHECK(list.allows("alice"));
  CHECK(list.allows("bob"));
  CHECK_FALSE(list.allows("carol"));
  CHECK(parseAclList("*").allows("carol"));
  CHECK(parseAclList("alice,*").allows("carol"));
  CHECK_FALSE(parseAclList("").allows("alice"));
  CHECK(rightFor("GET") == UiRight::kView);
  CHECK(rightFor("HEAD") == UiRight::kView);
  CHECK(rightFor("POST") == UiRight::kModify);
  CHECK(rightFor("DELETE") == UiRight::kModify);
}

TEST_CASE("ui acl: sluice with the secret may do anything, users what the lists give them", "[common]") {
  const std::string hash = hashOf("viewer", "view-pw");
  UiAcl acl("the-cluster-secret", {{"viewer", hash}, {"admin", hash}}, parseAclList("*"), parseAclList("admin"));

  CHECK(acl.check(basic("sluice", "the-cluster-secret"), UiRight::kView).verdict == Verdict::kAllowed);
  CHECK(acl.check(basic("sluice", "the-cluster-secret"), UiRight::kModify).verdict == Verdict::kAllowed);
  CHECK(acl.check(basic("sluice", "the-cluster-secre"), UiRight::kView).verdict == Verdict::kUnauthenticated);
  CHECK(acl.check(basic("sluice", "the-cluster-secretX"), UiRight::kView).verdict == Verdict::kUnauthenticated);
  CHECK(acl.check(basic("sluice", ""), UiRight::kView).verdict == Verdict::kUnauthenticated);

  UiAcl::Decision d = acl.check(basic("viewer", "view-pw"), UiRight::kView);
  CHECK(d.verdict == Verdict::kAllowed);
  CHECK(d.user == "viewer");
  d = acl.check(basic("viewer", "view-pw"), UiRight::kModify);
  CHECK(d.verdict == Verdict::kForbidden);
  CHECK(acl.check(basic("admin", "view-pw"), UiRight::kModify).verdict == Verdict::kAllowed);
  d = acl.check(basic("viewer", "wrong"), UiRight::kView);
  CHECK(d.verdict == Verdict::kUnauthenticated);
  CHECK(d.user == "viewer");
  CHECK(acl.check(basic("nobody", "view-pw"), UiRight::kView).verdict == Verdict::kUnauthenticated);
  CHECK(acl.check("", UiRight::kView).verdict == Verdict::kUnauthenticated);
  CHECK(acl.check("Basic !!!", UiRight::kView).verdict == Verdict::kUnauthenticated);

  // A user of the file whom ui.acls.view does not name is known but may not look.
  UiAcl narrow("s3cret-s3cret-s3cret", {{"viewer", hash}}, parseAclList(""), parseAclList(""));
  CHECK(narrow.check(basic("viewer", "view-pw"), UiRight::kView).verdict == Verdict::kForbidden);
  CHECK(narrow.check(basic("sluice", "s3cret-s3cret-s3cret"), UiRight::kView).verdict == Verdict::kAllowed);
}

TEST_CASE("ui acl: a verified password is remembered, a wrong one never, and the memory is bounded", "[common]") {
  UiAcl acl("the-cluster-secret", {{"viewer", hashOf("viewer", "view-pw")}}, parseAclList("*"), parseAclList(""));
  const std::string viewer = basic("viewer", "view-pw");
  REQUIRE(acl.check(viewer, UiRight::kView).verdict == Verdict::kAllowed);
  CHECK(acl.slowVerifications() == 1);
  for (int i = 0; i < 10; ++i) REQUIRE(acl.check(viewer, UiRight::kView).verdict == Verdict::kAllowed);
  CHECK(acl.slowVerifications() == 1);  // a page's many requests cost one verification

  CHECK(acl.check(basic("viewer", "wrong"), UiRight::kView).verdict == Verdict::kUnauthenticated);
  CHECK(acl.check(basic("viewer", "wrong"), UiRight::kView).verdict == Verdict::kUnauthenticated);
  CHECK(acl.slowVerifications() == 3);

  // The operator's headers are remembered too; kCacheSize other ones push the viewer's out,
  // which then costs a verification again. (Spaces after "Basic" make distinct headers.)
  for (size_t i = 1; i <= UiAcl::kCacheSize; ++i) {
    REQUIRE(acl.check(basic("sluice", "the-cluster-secret", std::string(i, ' ')), UiRight::kView).verdict ==
            Verdict::kAllowed);
  }
  REQUIRE(acl.check(viewer, UiRight::kView).verdict == Verdict::kAllowed);
  CHECK(acl.slowVerifications() == 4);
}

TEST_CASE("ui acl: from the configuration, none without auth.enabled, errors that name the file", "[common]") {
  testing::ScratchDir dir("ui-acl");
  std::filesystem::create_directories(dir.path);
  const std::string path = dir.path.string();
  auto write = [&](const std::string& text) { std::ofstream(path + "/users") << text; };
  Conf conf;
  auto none = UiAcl::fromConf(conf);
  REQUIRE(none.isOk());
  CHECK(*none == nullptr);

  conf.set(keys::kAuthEnabled.name, "true");
  CHECK_FALSE(UiAcl::fromConf(conf).isOk());  // no secret anywhere
  conf.set(keys::kAuthSecret.name, "the-cluster-secret");
  auto operator_only = UiAcl::fromConf(conf);
  REQUIRE(operator_only.isOk());
  REQUIRE(*operator_only != nullptr);
  CHECK((*operator_only)->check(basic("sluice", "the-cluster-secret"), UiRight::kModify).verdict == Verdict::kAllowed);

  conf.set(keys::kUiUsersFile.name, path + "/missing");
  auto missing = UiAcl::fromConf(conf);
  REQUIRE_FALSE(missing.isOk());
  CHECK_THAT(missing.status().message(), Catch::Contains("ui.usersFile: cannot read " + path + "/missing"));

  write("viewer:" + hashOf("viewer", "view-pw") + "\nadmin:nothash\n");
  conf.set(keys::kUiUsersFile.name, path + "/users");
  auto bad = UiAcl::fromConf(conf);
  REQUIRE_FALSE(bad.isOk());
  CHECK_THAT(bad.status().message(), Catch::Contains(path + "/users, line 2: the hash of admin"));

  write("viewer:" + hashOf("viewer", "view-pw") + "\n");
  conf.set(keys::kUiAclsModify.name, "viewer");
  auto acl = UiAcl::fromConf(conf);
  REQUIRE(acl.isOk());
  CHECK((*acl)->check(basic("viewer", "view-pw"), UiRight::kModify).verdict == Verdict::kAllowed);
}

}  // namespace
}  // namespace sluice
