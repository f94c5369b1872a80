#include "driver/reliable_socket_receiver.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "driver/socket_receiver.h"

namespace sluice {

namespace {

// Writes all of text to fd; false on error.
bool sendAll(int fd, const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::send(fd, text.data() + off, text.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

void ReliableSocketReceiver::onStart() {
  thread_ = std::thread([this] { receive(); });
}

void ReliableSocketReceiver::onStop() {
  if (thread_.joinable()) thread_.join();
}

bool ReliableSocketReceiver::storeAndAck(int fd, std::vector<std::string>& lines) {
  if (lines.empty()) return true;
  const std::string& last = lines.back();
  std::string seq = last.substr(0, last.find(' '));
  Status st = storeBlock(std::move(lines));
  lines.clear();
  if (!st) {
    restart("cannot store a block, its lines stay unacknowledged: " + st.message());
    return false;
  }
  if (!sendAll(fd, "ACK " + seq + "\n")) {
    restart(std::string("cannot acknowledge line ") + seq + ": " + std::strerror(errno));
    return false;
  }
  return true;
}

void ReliableSocketReceiver::receive() {
  std::string error;
  int fd = connectTcp(host_, port_, &error);
  if (fd < 0) {
    restart(error);
    return;
  }
  const auto interval = blockInterval();
  auto next_flush = std::chrono::steady_clock::now() + interval;
  std::vector<std::string> lines;
  std::string partial;
  char buf[64 * 1024];
  bool open = true, stored = true;
  while (open && stored && !isStopped()) {
    auto now = std::chrono::steady_clock::now();
    if (now >= next_flush) {
      stored = storeAndAck(fd, lines);
      next_flush = now + interval;
      continue;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_flush - now).count();
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(wait + 1, 100)));
    if (ready < 0 && errno != EINTR) {
      error = std::string("poll: ") + std::strerror(errno);
      break;
    }
    if (ready <= 0) continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n == 0 ? "the socket data stream had no more data" : std::string("read: ") + std::strerror(errno);
      open = false;
      n = 0;
    }
    forEachLine(partial, buf, static_cast<size_t>(n), [&lines](std::string&& line) { lines.push_back(std::move(line)); });
  }
  // A partial last line is not acknowledged: the source sends it again.
  if (stored) stored = storeAndAck(fd, lines);
  ::close(fd);
  if (stored && !isStopped()) restart(error.empty() ? "the connection ended" : error);
}

}  // namespace sluice
