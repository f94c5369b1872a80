#include "common/http_server.h"

#include <httplib.h>
#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "common/config_keys.h"
#include "common/ui_acl.h"

namespace sluice {
namespace {

// Why binding host:port fails now: the errno of a plain bind with SO_REUSEADDR (as the
// server's socket has), 0 when it would succeed, or EADDRNOTAVAIL when host does not
// resolve. httplib only says that a bind failed; this asks again to tell a taken port
// (EADDRINUSE: try the next) from an address this machine does not have.
int bindErrno(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
    return EADDRNOTAVAIL;
  }
  int err = EADDRNOTAVAIL;
  int sock = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (sock >= 0) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    err = ::bind(sock, found->ai_addr, found->ai_addrlen) == 0 ? 0 : errno;
    ::close(sock);
  } else {
    err = errno;
  }
  ::freeaddrinfo(found);
  return err;
}

// text for a log line: at most max bytes, control characters as '?', so that what a client
// sends (a user name, a path) cannot forge or break lines.
std::string printable(std::string_view text, size_t max = 80) {
  std::string out(text.substr(0, max));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (text.size() > max) out += "...";
  return out;
}

// Whether a request comes from another site's page: a browser names the page's origin in a
// POST, and would send the user's cached basic auth credentials along with a form another
// site forged (CSRF). No Origin (curl, scripts) is not a browser's cross-site request.
bool crossSite(const httplib::Request& req) {
  if (!req.has_header("Origin")) return false;
  const std::string origin = req.get_header_value("Origin");
  const size_t scheme_end = origin.find("://");
  return scheme_end == std::string::npos || origin.substr(scheme_end + 3) != req.get_header_value("Host");
}

bool isWildcardHost(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]" || host == "*";
}

}  // namespace

HttpServer::HttpServer(int threads) : http_(std::make_unique<httplib::Server>()) {
  if (threads > 0) http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib's default sets SO_REUSEPORT, so that a second server binds a port the first
  // one listens on and both serve it. SO_REUSEADDR alone still allows a restart over
  // TIME_WAIT connections, but a bind to a port in use fails.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::postAction(const std::string& pattern, Handler handler) {
  http_->Post(pattern, std::move(handler));
  http_->Get(pattern, [](const httplib::Request& req, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "POST");
    if (req.method != "HEAD") res.set_content("use POST (the page's button) for this action\n", "text/plain");
  });
}

Status HttpServer::requireAuth(const Conf& conf) {
  auto acl = UiAcl::fromConf(conf);
  if (!acl) return acl.status();
  requireAuth(std::move(*acl));
  return Status::ok();
}

void HttpServer::requireAuth(std::shared_ptr<const UiAcl> acl) {
  acl_ = std::move(acl);
  if (!acl_) {
    http_->set_pre_routing_handler(nullptr);
    return;
  }
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return admit(req, res) ? httplib::Server::HandlerResponse::Unhandled : httplib::Server::HandlerResponse::Handled;
  });
}

bool HttpServer::admit(const httplib::Request& req, httplib::Response& res) {
  const std::string authorization = req.get_header_value("Authorization");
  const UiRight right = rightFor(req.method);
  UiAcl::Decision d = acl_->check(authorization, right);
  const bool forged = right == UiRight::kModify && crossSite(req);
  if (d.verdict == UiAcl::Verdict::kAllowed && !forged) return true;
  // The route never ran, so a body the request carries is still unread: the client must
  // not send another request on this connection.
  res.set_header("Connection", "close");
  const std::string user = printable(d.user), method = printable(req.method), path = printable(req.path);
  std::string line;  // the log line, for a refusal that carried credentials
  if (d.verdict == UiAcl::Verdict::kUnauthenticated) {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Basic realm=\"Sluice\"");
    res.set_content("credentials required: the user sluice with the cluster secret, or a user of ui.usersFile\n",
                    "text/plain");
    line = "wrong credentials for user '" + user + "' from " + req.remote_addr + " (" + method + " " + path + ")";
  } else if (forged) {
    const std::string origin = printable(req.get_header_value("Origin"));
    res.status = 403;
    res.set_content("refused: a " + method + " from a page of another site (Origin " + origin + ")\n", "text/plain");
    line = "refused " + method + " " + path + " of user '" + user + "' from " + req.remote_addr + ": sent by a page of " +
           origin;
  } else {
    res.status = 403;
    res.set_content("user " + user + " may not " + method + " " + path + " (" +
                        (right == UiRight::kView ? "ui.acls.view" : "ui.acls.modify") + ")\n",
                    "text/plain");
    line = "user '" + user + "' from " + req.remote_addr + " has no right to " + method + " " + path;
  }
  // A browser's first request carries no credentials: only a refused attempt is worth a line.
  if (authorization.empty()) return false;
  PeerLogLimiter::Decision log = log_limiter_.allow(req.remote_addr);
  if (!log.log) return false;
  std::string hidden = log.suppressed == 0 ? "" : " (" + std::to_string(log.suppressed) + " more since the last line)";
  spdlog::warn("{}: {}{}", what_, line, hidden);
  return false;
}

StatusOr<int> HttpServer::start(const std::string& host, int port, int max_retries,
                                const std::string& what) {
  what_ = what;
  int err = 0;  // of the last failed bind
  if (port == 0) {
    port_ = http_->bind_to_any_port(host);
    if (port_ <= 0) err = bindErrno(host, 0);
  } else {
    const int last = port + std::max(0, max_retries);
    for (int p = port; p <= last && port_ < 0; ++p) {
      if (http_->bind_to_port(host, p)) {
        port_ = p;
        break;
      }
      err = bindErrno(host, p);
      if (err != 0 && err != EADDRINUSE) break;  // not a taken port: the next one fails alike
      if (p < last) spdlog::warn("{}: port {} on {} is taken; trying port {}", what, p, host, p + 1);
    }
  }
  if (port_ <= 0) {
    port_ = -1;
    std::string why = err == 0 ? "busy for a moment; try again" : std::strerror(err);
    if (port != 0 && (err == EADDRINUSE || err == 0)) {
      if (max_retries <= 0) {
        return Status::unavailable(what + ": port " + std::to_string(port) + " on " + host + " is taken (" + why + ")");
      }
      return Status::unavailable(what + ": ports " + std::to_string(port) + " to " +
                                 std::to_string(port + max_retries) + " on " + host + " are all taken");
    }
    std::string ports = port == 0 ? "a free port" : "port " + std::to_string(port);
    return Status::unavailable(what + ": cannot bind " + ports + " on " + host + ": " + why);
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // httplib's stop() before its listen loop runs is lost (the loop then never ends), so
  // return only once it runs.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!http_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  spdlog::debug("{} bound to {}:{}", what, host, port_);
  return port_;
}

void HttpServer::stop() {
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

std::string uiBindAddress(const Conf& conf, const std::string& fallback) {
  std::string host = conf.get(keys::kUiBindAddress);
  return host.empty() ? fallback : host;
}

std::string publicHost(const std::string& bind_host, const std::string& advertised_host) {
  if (!isWildcardHost(bind_host)) return bind_host;
  if (!advertised_host.empty() && !isWildcardHost(advertised_host)) return advertised_host;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) == 0 && name[0] != '\0') return name;
  return "localhost";
}

std::string htmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string formatDate(int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S %Z %Y", &tm);
  return buf;
}

std::string sparkDate(int64_t epoch_ms) {
  int64_t millis = (epoch_ms % 1000 + 1000) % 1000;  // before 1970 too: -1 is 23:59:59.999
  std::time_t secs = static_cast<std::time_t>((epoch_ms - millis) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dGMT", buf, static_cast<int>(millis));
  return out;
}

}  // namespace sluice
