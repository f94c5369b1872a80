// HttpServer: the one small HTTP server under the web UIs (master, worker, driver), over
// cpp-httplib, plus the bits every page needs (HTML escaping, Spark's date format).
//
// Port rule (Spark's Utils.startServiceOnPort): port 0 binds any free port; otherwise
// `port`, then the next ports up to port + max_retries, the first one free wins (a warn
// line names each taken port). A port another server listens on is taken: the socket sets
// SO_REUSEADDR only, never SO_REUSEPORT (which would let two UIs share a port). Any other
// bind error (an address this machine does not have) ends the search at once. The
// daemons pass max_retries 0: a master or worker on a taken port fails to start.
//
// Usage: construct, register routes on server(), start(), ..., stop() (or destroy).
// THREADING: handlers run on the server's pool threads; start() and stop() from one
// owner thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"

namespace httplib {
class Server;
}

namespace sluice {

// Spark's spark.port.maxRetries default.
inline constexpr int kDefaultPortMaxRetries = 16;

class HttpServer {
 public:
  // threads: request threads (a keep-alive connection holds one); 0 is httplib's default.
  explicit HttpServer(int threads = 0);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // For registering routes, before start().
  httplib::Server& server() { return *http_; }

  // Binds host by the port rule and serves on a background thread; returns the port
  // bound, once the server is serving (so that a stop() right after cannot be lost).
  // Unavailable, naming the host, the ports tried and why, when none could be bound.
  // `what` names the server in logs and errors ("master web UI").
  StatusOr<int> start(const std::string& host, int port, int max_retries, const std::string& what);
  // Stops serving and joins the thread. Idempotent; a no-op before start().
  void stop();

  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = -1;
};

// The host to put in an address a user opens: bind_host, unless it is a wildcard
// ("0.0.0.0", "::", "" or "*"), which no browser can open; then advertised_host when
// given (the driver's driver.host), else this machine's host name.
std::string publicHost(const std::string& bind_host, const std::string& advertised_host = "");

// s with <, >, &, " and ' replaced by their HTML entities.
std::string htmlEscape(std::string_view s);

// ms since the epoch as java.util.Date.toString() prints it in local time, as Spark's
// JSON and pages show dates: "Tue Mar 05 10:00:00 UTC 2024".
std::string formatDate(int64_t epoch_ms);

// ms since the epoch as Spark's REST API writes dates, in GMT:
// "2026-11-24T19:05:40.123GMT".
std::string sparkDate(int64_t epoch_ms);

}  // namespace sluice
