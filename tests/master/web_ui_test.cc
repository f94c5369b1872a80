// master/web_ui.h: the master's page links running apps to their driver UI, has a kill button
// (a POST form) for each, and shows who submitted them and the cores a completed app held.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "master/web_ui.h"

using namespace sluice;
using namespace sluice::master;

namespace {

ApplicationInfo app(const std::string& id, const std::string& ui_url) {
  ApplicationInfo a;
  a.desc.app_id = id;
  a.desc.name = "word <count>";
  a.desc.app_ui_url = ui_url;
  a.desc.executor_memory_mb = 1024;
  a.user = "alice";
  a.start_ms = 1'700'000'000'000;
  a.state = rpc::AppState::kRunning;
  a.addExecutor({id, "0", "w1", 2, 1024, rpc::ExecutorState::kRunning});
  a.addExecutor({id, "1", "w2", 2, 1024, rpc::ExecutorState::kRunning});
  return a;
}

}  // namespace

TEST_CASE("master page: a running app links to its driver UI and shows its user and cores", "[ui]") {
  MasterState s;
  s.url = "sluice://127.0.0.2:7077";
  s.apps["app-1"] = app("app-1", "http://127.0.0.1:4040");
  s.app_order.push_back("app-1");
  std::string html = renderHtml(s, 1'700'000'060'000);
  CHECK(html.find("<a href=\"http://127.0.0.1:4040\">word &lt;count&gt;</a>") != std::string::npos);
  CHECK(html.find("<td>alice</td>") != std::string::npos);
  CHECK(html.find("<td class=\"num\">4</td>") != std::string::npos);
  CHECK(html.find("<td class=\"num\">1.0 min</td>") != std::string::npos);
  // Its kill button POSTs the form /app/kill/ expects.
  CHECK(html.find("<form class=\"kill\" action=\"/app/kill/\" method=\"post\">"
                  "<input type=\"hidden\" name=\"id\" value=\"app-1\">"
                  "<input type=\"hidden\" name=\"terminate\" value=\"true\">") != std::string::npos);
}

TEST_CASE("master page: a completed app shows the most cores it held and no link", "[ui]") {
  MasterState s;
  s.url = "sluice://127.0.0.2:7077";
  ApplicationInfo done = app("app-2", "http://127.0.0.1:4041");
  done.executors.erase("1");  // one executor ended before the app
  done.executors.clear();     // the rest when it finished
  done.state = rpc::AppState::kFinished;
  done.end_ms = done.start_ms + 5000;
  s.completed_apps.push_back(done);
  std::string html = renderHtml(s, 1'700'000'060'000);
  CHECK(html.find("href=\"http://127.0.0.1:4041\"") == std::string::npos);
  CHECK(html.find("<form class=\"kill\"") == std::string::npos);  // nothing left to kill
  CHECK(html.find("<td class=\"num\">4</td>") != std::string::npos);
  auto json = nlohmann::json::parse(renderJson(s, 1'700'000'060'000));
  CHECK(json["completedapps"][0]["cores"] == 4);
  CHECK(json["completedapps"][0]["user"] == "alice");
}
