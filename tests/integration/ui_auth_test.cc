// Issue 16, the web UIs: with auth.enabled, the master's, a worker's and a client-mode
// driver's UI, REST API and /metrics answer 401 without credentials or with wrong ones, 200
// to `sluice` with the cluster secret and to a user of ui.usersFile; a view-only user may not
// kill (403), a kill is POST only (405), and each UI listens on ui.bindAddress only.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

constexpr char kSecret[] = "ui-auth-test-secret-0123456789";
constexpr char kViewerPassword[] = "viewer's password";

struct Credentials {
  std::string user;
  std::string password;
};
const Credentials kNone{"", ""};
const Credentials kOperator{"sluice", kSecret};
const Credentials kWrong{"sluice", "not the secret"};
const Credentials kViewer{"viewer", kViewerPassword};

// One UI: where it listens.
struct Ui {
  std::string name;
  std::string host;
  int port = 0;
};

httplib::Client clientOf(const Ui& ui, const Credentials& who) {
  httplib::Client client(ui.host, ui.port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(5, 0);
  if (!who.user.empty()) client.set_basic_auth(who.user.c_str(), who.password.c_str());
  return client;
}

// The status of GET path, -1 when the connection fails.
int statusOf(const Ui& ui, const std::string& path, const Credentials& who) {
  auto res = clientOf(ui, who).Get(path.c_str());
  return res ? res->status : -1;
}

std::optional<nlohmann::json> jsonOf(const Ui& ui, const std::string& path, const Credentials& who) {
  auto res = clientOf(ui, who).Get(path.c_str());
  if (!res || res->status != 200) return std::nullopt;
  return nlohmann::json::parse(res->body, nullptr, false);
}

// `sluice-submit --hash-password viewer` with the password on stdin: the users file's line.
std::string viewerLine() {
  std::string command = "printf '%s\\n' \"" + std::string(kViewerPassword) + "\" | " + binDir() +
                        "/sluice-submit --hash-password viewer";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  REQUIRE(::pclose(pipe) == 0);
  REQUIRE(out.rfind("viewer:$argon2id$", 0) == 0);
  return out;
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// The checks every UI must pass on each of its paths.
void requireGuarded(const Ui& ui, const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    INFO(ui.name << " " << path);
    auto bare = clientOf(ui, kNone).Get(path.c_str());
    REQUIRE(bare);
    CHECK(bare->status == 401);
    CHECK(bare->get_header_value("WWW-Authenticate") == "Basic realm=\"Sluice\"");
    CHECK(statusOf(ui, path, kWrong) == 401);
    CHECK(statusOf(ui, path, {"viewer", "wrong"}) == 401);
    CHECK(statusOf(ui, path, kOperator) == 200);
    CHECK(statusOf(ui, path, kViewer) == 200);
  }
}

}  // namespace

TEST_CASE("with auth.enabled every web UI asks for credentials, a viewer cannot kill, and each binds ui.bindAddress only",
          "[integration]") {
  LocalStandaloneCluster cluster("ui-auth");  // the master on 127.0.0.2
  const std::string secret_file = cluster.tmp() / "secret";
  const std::string users_file = cluster.tmp() / "users";
  writeFile(secret_file, std::string(kSecret) + "\n");
  writeFile(users_file, "# web UI users\n" + viewerLine());
  auto authConf = [&](const std::string& ui_host) {
    return std::vector<std::string>{"--conf", "auth.enabled=true", "--conf", "auth.secretFile=" + secret_file,
                                    "--conf", "ui.usersFile=" + users_file, "--conf", "ui.bindAddress=" + ui_host};
  };

  cluster.startMaster(authConf("127.0.0.5"));
  cluster.startWorker("worker-1", "127.0.0.3", 2, "1g", authConf("127.0.0.6"));
  const Ui master{"master", "127.0.0.5", cluster.webPort()};
  const Ui worker{"worker", "127.0.0.6", cluster.workerWebPort("worker-1")};
  CHECK_THAT(cluster.master().out(), Catch::Contains("web UI at http://127.0.0.5:"));
  REQUIRE(waitFor([&] {
    auto j = jsonOf(master, "/json", kOperator);
    return j && j->value("aliveworkers", -1) == 1;
  }, 20s));
  // The master links to the worker's UI where it listens, not at the worker's --host.
  CHECK(jsonOf(master, "/json", kOperator).value()["workers"][0]["webuiaddress"] ==
        "http://127.0.0.6:" + std::to_string(worker.port));

  GeneratorProcess gen(cluster.tmp(), {"--rate", "200"});
  std::vector<std::string> args = authConf("127.0.0.7");
  args.insert(args.end(), {"--conf", "ui.port=0", libDir() + "/libnetwork_word_count.so", "127.0.0.1",
                           std::to_string(gen.port), "200", "0", cluster.tmp() / "out"});
  auto driver_process = cluster.submit(args, "driver");
  std::string port = waitForMatch([&] { return driver_process->err(); }, "REST API at http://127.0.0.7:([0-9]+)", 60s);
  INFO(driver_process->err());
  REQUIRE(!port.empty());
  const Ui driver{"driver", "127.0.0.7", std::stoi(port)};
  auto apps = jsonOf(driver, "/api/v1/applications", kOperator);
  REQUIRE(apps);
  REQUIRE(apps->size() == 1);
  const std::string app_id = (*apps)[0]["id"];
  REQUIRE(waitFor([&] { return jsonOf(master, "/json", kOperator).value()["activeapps"].size() == 1; }, 20s));

  requireGuarded(master, {"/", "/json", "/metrics"});
  requireGuarded(worker, {"/", "/json", "/metrics"});
  requireGuarded(driver, {"/jobs/", "/api/v1/applications", "/api/v1/applications/" + app_id + "/environment",
                          "/metrics"});
  CHECK(statusOf(driver, "/", kNone) == 401);  // the redirect to the home page too

  // The environment shows the secret's file name redacted.
  auto env = jsonOf(driver, "/api/v1/applications/" + app_id + "/environment", kViewer);
  REQUIRE(env);
  CHECK_THAT(env->dump(), Catch::Contains("[\"auth.secretFile\",\"*********(redacted)\"]"));
  CHECK_THAT(env->dump(), !Catch::Contains(secret_file));

  // A refused password is one WARN line in the daemon's log, naming the address and the user.
  CHECK(waitFor([&] { return cluster.master().err().find("wrong credentials for user 'sluice' from 127.0.0.") !=
                                 std::string::npos; }, 5s));

  // Each UI listens on ui.bindAddress only: not on the daemon's --host, not on 127.0.0.1.
  CHECK(statusOf({"master", "127.0.0.2", master.port}, "/json", kOperator) == -1);
  CHECK(statusOf({"worker", "127.0.0.3", worker.port}, "/json", kOperator) == -1);
  CHECK(statusOf({"driver", "127.0.0.1", driver.port}, "/metrics", kOperator) == -1);

  // The kill button of the master's page, as a browser submits it: POST only, modify right only.
  auto page = clientOf(master, kViewer).Get("/");
  REQUIRE(page);
  std::smatch button;
  const std::string html = page->body;
  REQUIRE(std::regex_search(html, button, std::regex(R"re(<form class="kill" action="([^"]+)" method="post">)re"
                                                     R"re(<input type="hidden" name="id" value="([^"]+)">)re"
                                                     R"re(<input type="hidden" name="terminate" value="([^"]+)">)re")));
  const std::string action = button[1];
  CHECK(action == "/app/kill/");
  CHECK(button[2] == app_id);
  const std::string form = "id=" + button[2].str() + "&terminate=" + button[3].str();
  CHECK(statusOf(master, action + "?" + form, kOperator) == 405);
  auto no_credentials = clientOf(master, kNone).Post(action.c_str(), form, "application/x-www-form-urlencoded");
  REQUIRE(no_credentials);
  CHECK(no_credentials->status == 401);
  auto viewer_kill = clientOf(master, kViewer).Post(action.c_str(), form, "application/x-www-form-urlencoded");
  REQUIRE(viewer_kill);
  CHECK(viewer_kill->status == 403);
  CHECK(jsonOf(master, "/json", kOperator).value()["activeapps"].size() == 1);
  // As a browser posts it: back to the master's page.
  auto operator_kill = clientOf(master, kOperator)
                           .Post(action.c_str(), {{"Accept", "text/html,application/xhtml+xml"}}, form,
                                 "application/x-www-form-urlencoded");
  REQUIRE(operator_kill);
  CHECK(operator_kill->status == 303);
  CHECK(operator_kill->get_header_value("Location") == "/");
  CHECK(waitFor([&] { return jsonOf(master, "/json", kOperator).value()["activeapps"].empty(); }, 10s));
}
