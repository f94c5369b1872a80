#include "streaming/receiver/socket_receiver.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice {

int connectTcp(const std::string& host, int port, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) {
    *error = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      *error = std::string("cannot connect to ") + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

int64_t readAvailable(int fd, char* buf, size_t size, int timeout_ms, std::string* error) {
  pollfd p{fd, POLLIN, 0};
  int ready = ::poll(&p, 1, timeout_ms);
  if (ready < 0 && errno != EINTR) {
    *error = std::string("poll: ") + std::strerror(errno);
    return -1;
  }
  if (ready <= 0) return 0;
  ssize_t n = ::read(fd, buf, size);
  if (n < 0 && errno == EINTR) return 0;
  if (n <= 0) {
    *error = n == 0 ? "the socket data stream had no more data" : std::string("read: ") + std::strerror(errno);
    return -1;
  }
  return n;
}

void SocketTextReceiver::onStart() {
  thread_ = std::thread([this] { receive(); });
}

void SocketTextReceiver::onStop() {
  if (thread_.joinable()) thread_.join();
}

void SocketTextReceiver::receive() {
  std::string error;
  int fd = connectTcp(host_, port_, &error);
  if (fd < 0) {
    restart(error);
    return;
  }
  std::string partial;
  char buf[64 * 1024];
  while (!isStopped()) {
    int64_t n = readAvailable(fd, buf, sizeof buf, 100, &error);  // wakes up to notice a stop
    if (n < 0) break;
    forEachLine(partial, buf, static_cast<size_t>(n), [this](std::string&& line) { store(std::move(line)); });
  }
  ::close(fd);
  if (!partial.empty()) store(std::move(partial));
  if (!isStopped()) restart(error.empty() ? "the connection ended" : error);
}

}  // namespace sluice
