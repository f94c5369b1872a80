// HttpServer: the port rule (a taken port moves to the next one, never shared), serving
// and stopping, and the page helpers.
#include "common/http_server.h"

#include <httplib.h>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>

namespace sluice {
namespace {

// A server answering GET / with body.
std::unique_ptr<HttpServer> serving(const std::string& body) {
  auto server = std::make_unique<HttpServer>(2);
  server->server().Get("/", [body](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "text/plain");
  });
  return server;
}

std::string get(int port) {
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/");
  return res ? res->body : "error: " + httplib::to_string(res.error());
}

TEST_CASE("http server: two servers asked for the same port get different ports", "[common]") {
  auto first = serving("first");
  auto p1 = first->start("127.0.0.1", 0, kDefaultPortMaxRetries, "first UI");
  REQUIRE(p1.isOk());
  CHECK(first->port() == *p1);

  auto second = serving("second");
  auto p2 = second->start("127.0.0.1", *p1, kDefaultPortMaxRetries, "second UI");
  REQUIRE(p2.isOk());
  CHECK(*p2 > *p1);
  CHECK(*p2 <= *p1 + kDefaultPortMaxRetries);
  // Each port is served by its own server only.
  CHECK(get(*p1) == "first");
  CHECK(get(*p2) == "second");

  // No retries: the taken port is an error naming it.
  auto third = serving("third");
  auto p3 = third->start("127.0.0.1", *p1, 0, "third UI");
  REQUIRE_FALSE(p3.isOk());
  CHECK(p3.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(p3.status().message(), Catch::Contains("third UI: port " + std::to_string(*p1) +
                                                    " on 127.0.0.1 is taken (Address already in use)"));
  CHECK(third->port() == -1);
}

TEST_CASE("http server: every retry taken is an error naming the range", "[common]") {
  auto first = serving("first");
  auto p1 = first->start("127.0.0.1", 0, 0, "first UI");
  REQUIRE(p1.isOk());
  auto second = serving("second");
  auto p2 = second->start("127.0.0.1", *p1 + 1, 0, "second UI");  // fails if another process has it: taken too
  auto third = serving("third");
  auto p3 = third->start("127.0.0.1", *p1, 1, "third UI");
  REQUIRE_FALSE(p3.isOk());
  CHECK(p3.status().message() == "third UI: ports " + std::to_string(*p1) + " to " + std::to_string(*p1 + 1) +
                                     " on 127.0.0.1 are all taken");
  CHECK(get(*p1) == "first");
  if (p2.isOk()) CHECK(get(*p2) == "second");
}

TEST_CASE("http server: an address this machine does not have fails at once, without retries", "[common]") {
  auto server = serving("x");
  // 192.0.2.0/24 is TEST-NET-1: never a local address.
  auto bound = server->start("192.0.2.1", 4040, kDefaultPortMaxRetries, "UI");
  REQUIRE_FALSE(bound.isOk());
  CHECK(bound.status().message() == "UI: cannot bind port 4040 on 192.0.2.1: Cannot assign requested address");
}

TEST_CASE("http server: the public host replaces a wildcard bind address", "[common]") {
  CHECK(publicHost("127.0.0.2") == "127.0.0.2");
  CHECK(publicHost("127.0.0.2", "10.1.1.1") == "127.0.0.2");
  CHECK(publicHost("0.0.0.0", "127.0.0.1") == "127.0.0.1");
  CHECK(publicHost("::", "driver.example.com") == "driver.example.com");
  // No advertised host: the machine's name, which a browser can open; never the wildcard.
  char name[256] = {};
  REQUIRE(::gethostname(name, sizeof name - 1) == 0);
  CHECK(publicHost("0.0.0.0") == name);
  CHECK(publicHost("0.0.0.0", "0.0.0.0") == name);
}

TEST_CASE("http server: stop right after start ends it, and the port is free again", "[common]") {
  int port = 0;
  {
    auto server = serving("x");
    auto bound = server->start("127.0.0.1", 0, 0, "UI");
    REQUIRE(bound.isOk());
    port = *bound;
    server->stop();
    server->stop();  // idempotent
  }
  // Nothing listens any more, and the port can be bound again.
  CHECK(get(port).rfind("error: ", 0) == 0);
  auto again = serving("again");
  auto bound = again->start("127.0.0.1", port, 0, "UI");
  REQUIRE(bound.isOk());
  CHECK(*bound == port);
  CHECK(get(port) == "again");
}

TEST_CASE("html escaping and Spark's date format", "[common]") {
  CHECK(htmlEscape("<a href=\"x\">Tom & Jerry's</a>") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(htmlEscape("plain") == "plain");

  const char* old_tz = std::getenv("TZ");
  std::string saved = old_tz ? old_tz : "";
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  CHECK(formatDate(1709632800000) == "Tue Mar 05 10:00:00 UTC 2024");
  if (old_tz)
    ::setenv("TZ", saved.c_str(), 1);
  else
    ::unsetenv("TZ");
  ::tzset();
}

}  // namespace
}  // namespace sluice
