// HttpServer::requireAuth and postAction: every path asks for credentials before its route
// runs, refusals are logged once per address and burst, and a state-changing action is POST
// only.
#include <httplib.h>

#include <catch2/catch.hpp>

#include "common/config_keys.h"
#include "common/http_server.h"
#include "common/ui_acl.h"
#include "tests/common/log_capture.h"

namespace sluice {
namespace {

constexpr char kSecret[] = "the-cluster-secret";

// A UI with a page and a kill action; kills counts the actions that ran.
struct KillableUi {
  HttpServer http{2};
  int kills = 0;
  int port = 0;
  explicit KillableUi(std::shared_ptr<const UiAcl> acl) {
    http.server().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("page", "text/plain"); });
    http.postAction("/app/kill/", [this](const httplib::Request&, httplib::Response& res) {
      ++kills;
      res.set_content("killed", "text/plain");
    });
    http.requireAuth(std::move(acl));
    auto bound = http.start("127.0.0.1", 0, 0, "test UI");
    REQUIRE(bound.isOk());
    port = *bound;
  }
  httplib::Result get(const std::string& path, const std::string& user = "", const std::string& password = "") {
    return client(user, password).Get(path.c_str());
  }
  httplib::Result post(const std::string& path, const std::string& user = "", const std::string& password = "") {
    return client(user, password).Post(path.c_str(), "id=app-1&terminate=true", "application/x-www-form-urlencoded");
  }
  httplib::Client client(const std::string& user, const std::string& password) {
    httplib::Client c("127.0.0.1", port);
    if (!user.empty()) c.set_basic_auth(user.c_str(), password.c_str());
    return c;
  }
};

std::shared_ptr<const UiAcl> viewerAcl() {
  auto line = usersFileLine("viewer", "view-pw");
  REQUIRE(line.isOk());
  return std::make_shared<UiAcl>(kSecret, UiUsers{{"viewer", line->substr(7)}}, parseAclList("*"), parseAclList(""));
}

TEST_CASE("http server auth: no or wrong credentials are 401 before any route runs", "[common]") {
  testing::LogCapture log;
  KillableUi ui(viewerAcl());
  for (const std::string path : {"/", "/app/kill/", "/no/such/page"}) {
    auto res = ui.get(path);
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(res->get_header_value("WWW-Authenticate") == "Basic realm=\"Sluice\"");
    CHECK(res->get_header_value("Connection") == "close");
  }
  auto wrong = ui.post("/app/kill/", "sluice", "guess");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(ui.kills == 0);
  CHECK(ui.get("/", "viewer", "guess")->status == 401);
  // Only the attempts with credentials are logged, each naming the address and the user.
  auto lines = log.at(spdlog::level::warn, "test UI: wrong credentials");
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::Contains("user 'sluice' from 127.0.0.1 (POST /app/kill/)"));
  CHECK_THAT(lines[1], Catch::Contains("user 'viewer' from 127.0.0.1 (GET /)"));
}

TEST_CASE("http server auth: the operator may view and kill, a viewer only view", "[common]") {
  KillableUi ui(viewerAcl());
  CHECK(ui.get("/", "sluice", kSecret)->body == "page");
  CHECK(ui.get("/", "viewer", "view-pw")->body == "page");
  auto refused = ui.post("/app/kill/", "viewer", "view-pw");
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(ui.kills == 0);
  auto killed = ui.post("/app/kill/", "sluice", kSecret);
  REQUIRE(killed);
  CHECK(killed->status == 200);
  CHECK(ui.kills == 1);
}

TEST_CASE("http server auth: a kill POSTed by another site's page is refused even with the operator's credentials",
          "[common]") {
  testing::LogCapture log;
  KillableUi ui(viewerAcl());
  auto post = [&](const std::string& origin) {
    httplib::Client c = ui.client("sluice", kSecret);
    auto res = c.Post("/app/kill/", {{"Origin", origin}}, "id=app-1&terminate=true", "application/x-www-form-urlencoded");
    REQUIRE(res);
    return res->status;
  };
  CHECK(post("http://evil.example") == 403);
  CHECK(post("null") == 403);
  CHECK(ui.kills == 0);
  CHECK(log.at(spdlog::level::warn, "sent by a page of http://evil.example").size() == 1);
  // The master's own page posts with its own origin.
  CHECK(post("http://127.0.0.1:" + std::to_string(ui.port)) == 200);
  CHECK(ui.kills == 1);
}

TEST_CASE("http server: a kill action is POST only, with or without auth", "[common]") {
  KillableUi open(nullptr);
  auto get = open.get("/app/kill/?id=app-1&terminate=true");
  REQUIRE(get);
  CHECK(get->status == 405);
  CHECK(get->get_header_value("Allow") == "POST");
  CHECK(open.kills == 0);
  CHECK(open.get("/")->status == 200);  // without auth nothing asks for credentials
  CHECK(open.post("/app/kill/")->status == 200);
  CHECK(open.kills == 1);

  KillableUi guarded(viewerAcl());
  CHECK(guarded.get("/app/kill/", "sluice", kSecret)->status == 405);
  CHECK(guarded.kills == 0);
}

TEST_CASE("http server auth: a flood of wrong passwords from one address logs a bounded burst", "[common]") {
  testing::LogCapture log;
  Conf conf;
  conf.set(keys::kAuthEnabled.name, "true").set(keys::kAuthSecret.name, kSecret);
  HttpServer http(2);
  http.server().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("page", "text/plain"); });
  REQUIRE(http.requireAuth(conf).isOk());
  auto port = http.start("127.0.0.1", 0, 0, "flooded UI");
  REQUIRE(port.isOk());
  httplib::Client client("127.0.0.1", *port);
  client.set_basic_auth("sluice", "wrong");
  for (int i = 0; i < 3 * PeerLogLimiter::kBurst; ++i) CHECK(client.Get("/")->status == 401);
  CHECK(log.at(spdlog::level::warn, "flooded UI: wrong credentials").size() == PeerLogLimiter::kBurst);
  client.set_basic_auth("sluice", kSecret);
  CHECK(client.Get("/")->status == 200);
}

TEST_CASE("http server auth: auth.enabled off changes nothing, on without a secret is an error", "[common]") {
  HttpServer http(2);
  Conf conf;
  CHECK(http.requireAuth(conf).isOk());
  conf.set(keys::kAuthEnabled.name, "true");
  CHECK_FALSE(http.requireAuth(conf).isOk());
}

TEST_CASE("http server: ui.bindAddress, when set, is where a UI binds", "[common]") {
  Conf conf;
  CHECK(uiBindAddress(conf, "127.0.0.2") == "127.0.0.2");
  conf.set(keys::kUiBindAddress.name, "127.0.0.9");
  CHECK(uiBindAddress(conf, "127.0.0.2") == "127.0.0.9");
}

}  // namespace
}  // namespace sluice
