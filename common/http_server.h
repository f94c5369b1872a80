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
// Authentication (common/ui_acl.h): after requireAuth(), every request, whatever its path,
// needs HTTP basic credentials that the ACL accepts, checked before any route runs: none or
// wrong ones get 401 with `WWW-Authenticate: Basic realm="Sluice"`, a user without the right
// 403, and so does a POST whose Origin is another site's (a forged form: CSRF); each refusal
// with credentials is one WARN line naming the remote address and the user, rate-limited per
// address (common/peer_log_limiter.h).
//
// Usage: construct, register routes on server() (postAction() for a route that changes
// state), requireAuth(), start(), ..., stop() (or destroy).
// THREADING: handlers run on the server's pool threads; the other calls from one owner
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/conf.h"
#include "common/peer_log_limiter.h"
#include "common/status.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sluice {

class UiAcl;

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

  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  // Serves POST pattern with handler, and answers GET and HEAD on it with 405 (Allow: POST):
  // an action that changes state (a kill) never runs from a link, a prefetch or a crawler.
  // Before start().
  void postAction(const std::string& pattern, Handler handler);

  // With auth.enabled in conf, every request needs credentials acl accepts (UiAcl::fromConf);
  // without it, nothing changes. The error of UiAcl::fromConf (no secret, a bad
  // ui.usersFile): the caller must not serve then. Before start().
  Status requireAuth(const Conf& conf);
  // Every request needs credentials acl accepts; nullptr: none. Before start().
  void requireAuth(std::shared_ptr<const UiAcl> acl);

  // Binds host by the port rule and serves on a background thread; returns the port
  // bound, once the server is serving (so that a stop() right after cannot be lost).
  // Unavailable, naming the host, the ports tried and why, when none could be bound.
  // `what` names the server in logs and errors ("master web UI").
  StatusOr<int> start(const std::string& host, int port, int max_retries, const std::string& what);
  // Stops serving and joins the thread. Idempotent; a no-op before start().
  void stop();

  int port() const { return port_; }

 private:
  // The pre-routing check of requireAuth: true when the request may go on to its route,
  // else res holds the refusal.
  bool admit(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = -1;
  std::string what_;  // start()'s, for log lines
  std::shared_ptr<const UiAcl> acl_;
  SharedPeerLogLimiter log_limiter_;
};

// The host a web UI binds: ui.bindAddress when set, else fallback (the daemon's --host, the
// driver's driver.bindAddress).
std::string uiBindAddress(const Conf& conf, const std::string& fallback);

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
