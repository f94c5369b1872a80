// JSON over HTTP for the integration tests: the daemons' status pages (/json) and a
// streaming driver's REST API.
#pragma once

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/process_util.h"

namespace sluice::testing {

using nlohmann::json;

// GET path on host:port as JSON, nullopt when it does not answer (or not with JSON).
inline std::optional<json> getJson(const std::string& host, int port, const std::string& path = "/json") {
  httplib::Client client(host, port);
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(2, 0);
  auto res = client.Get(path.c_str());
  if (!res || res->status != 200) return std::nullopt;
  try {
    return json::parse(res->body);
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// The element of a JSON list whose "id" is id, null when none is.
inline const json* findById(const json& list, const std::string& id) {
  for (const auto& e : list) {
    if (e.value("id", "") == id) return &e;
  }
  return nullptr;
}

// A client-mode streaming driver (sluice-submit argv, run with --conf ui.port=0), once its
// streaming REST API answers: the port it logged and its one application. (The driver UI
// starts with the application; its streaming paths once the StreamingContext started.)
struct StreamingDriverProcess {
  Child child;
  int ui_port = 0;
  std::string app_id;
  StreamingDriverProcess(std::vector<std::string> argv, const std::string& log_prefix)
      : child(std::move(argv), log_prefix) {
    using namespace std::chrono_literals;
    std::string p = waitForMatch([&] { return child.err(); }, "REST API at http://[0-9.]+:([0-9]+)", 60s);
    INFO(child.err());
    REQUIRE(!p.empty());
    ui_port = std::stoi(p);
    auto apps = get("/api/v1/applications");
    REQUIRE(apps.size() == 1);
    app_id = apps[0]["id"];
    const std::string statistics = "/api/v1/applications/" + app_id + "/streaming/statistics";
    REQUIRE(waitFor([&] { return getJson("127.0.0.1", ui_port, statistics).has_value(); }, 60s));
  }
  json get(const std::string& path) {
    httplib::Client http("127.0.0.1", ui_port);
    http.set_read_timeout(5, 0);
    auto res = http.Get(path.c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }
  json streaming(const std::string& what) { return get("/api/v1/applications/" + app_id + "/streaming/" + what); }
};

}  // namespace sluice::testing
