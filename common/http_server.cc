#include "common/http_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sluice {

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

StatusOr<int> HttpServer::start(const std::string& host, int port, int max_retries,
                                const std::string& what) {
  if (port == 0) {
    port_ = http_->bind_to_any_port(host);
  } else {
    for (int p = port; p <= port + max_retries && port_ < 0; ++p) {
      if (http_->bind_to_port(host, p)) {
        port_ = p;
      } else {
        spdlog::warn("{}: cannot bind {}:{}; trying the next port", what, host, p);
      }
    }
  }
  if (port_ <= 0) {
    port_ = -1;
    std::string ports =
        port == 0 ? "any port"
                  : "ports " + std::to_string(port) + " to " + std::to_string(port + max_retries);
    return Status::unavailable(what + ": cannot bind " + host + " " + ports);
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // httplib's stop() before its listen loop runs is lost (the loop then never ends), so
  // return only once it runs.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!http_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port_;
}

void HttpServer::stop() {
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
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
