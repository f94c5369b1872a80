#include "streaming/receiver/reliable_socket_receiver.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>

#include "streaming/receiver/socket_receiver.h"

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

// The sequence number a line starts with, -1 when it starts with none.
int64_t sequenceOf(const std::string& line) {
  char* end = nullptr;
  long long seq = std::strtoll(line.c_str(), &end, 10);
  return end == line.c_str() ? -1 : seq;
}

}  // namespace

void ReliableSocketReceiver::onStart() {
  if (!resumePosition().empty()) stored_through_ = std::max(stored_through_, sequenceOf(resumePosition()));
  thread_ = std::thread([this] { receive(); });
}

void ReliableSocketReceiver::onStop() {
  if (thread_.joinable()) thread_.join();
}

bool ReliableSocketReceiver::storeAndAck(int fd, std::vector<std::string>& lines) {
  if (lines.empty()) return true;
  const std::string& last = lines.back();
  std::string seq = last.substr(0, last.find(' '));
  Status st = storeBlock(std::move(lines), seq);
  lines.clear();
  if (!st) {
    restart("cannot store a block, its lines stay unacknowledged: " + st.message());
    return false;
  }
  stored_through_ = std::max(stored_through_, sequenceOf(seq));
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
  // The driver may hold lines whose ack was lost: the source need not send them again.
  if (stored_through_ >= 0 && !sendAll(fd, "ACK " + std::to_string(stored_through_) + "\n")) {
    ::close(fd);
    restart(std::string("cannot acknowledge line ") + std::to_string(stored_through_) + ": " + std::strerror(errno));
    return;
  }
  const auto interval = blockInterval();
  auto next_flush = std::chrono::steady_clock::now() + interval;
  std::vector<std::string> lines;
  std::string partial;
  char buf[64 * 1024];
  bool stored = true;
  while (stored && !isStopped()) {
    auto now = std::chrono::steady_clock::now();
    if (now >= next_flush) {
      stored = storeAndAck(fd, lines);
      next_flush = now + interval;
      continue;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_flush - now).count();
    int64_t n = readAvailable(fd, buf, sizeof buf, static_cast<int>(std::min<int64_t>(wait + 1, 100)), &error);
    if (n < 0) break;
    forEachLine(partial, buf, static_cast<size_t>(n), [&](std::string&& line) {
      int64_t seq = sequenceOf(line);
      if (seq < 0 || seq > stored_through_) lines.push_back(std::move(line));
    });
  }
  // A partial last line is not acknowledged: the source sends it again.
  if (stored) stored = storeAndAck(fd, lines);
  ::close(fd);
  if (stored && !isStopped()) restart(error.empty() ? "the connection ended" : error);
}

}  // namespace sluice
