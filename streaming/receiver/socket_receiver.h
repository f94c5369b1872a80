// SocketTextReceiver: socketTextStream's receiver. Connects to host:port over TCP and
// stores every '\n'-terminated line (without the newline) as a record. A refused or lost
// connection restarts the receiver after streaming.socket.restartDelay (as Spark's
// SocketReceiver does), so a source that comes back later is picked up again.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

#include "streaming/receiver/receiver.h"

namespace sluice {

// A connected TCP socket (SOCK_CLOEXEC) to host:port, or -1 with *error set.
int connectTcp(const std::string& host, int port, std::string* error);

// Waits up to timeout_ms for data on fd and reads what is there into buf: the bytes read,
// 0 when nothing came in time (or a signal interrupted), -1 when the stream ended or
// failed, with *error saying why.
int64_t readAvailable(int fd, char* buf, size_t size, int timeout_ms, std::string* error);

// Splits n bytes read from a text stream into lines: line(std::string&&) gets every
// '\n'-terminated line (without the newline); partial carries the unterminated rest from
// one call to the next.
template <class F>
void forEachLine(std::string& partial, const char* data, size_t n, F&& line) {
  const char* begin = data;
  const char* end = data + n;
  for (const char* nl; (nl = static_cast<const char*>(std::memchr(begin, '\n', end - begin))) != nullptr;
       begin = nl + 1) {
    if (partial.empty()) {
      line(std::string(begin, nl));
    } else {
      partial.append(begin, nl);
      line(std::move(partial));
      partial.clear();
    }
  }
  partial.append(begin, end);
}

class SocketTextReceiver : public ReceiverBase<SocketTextReceiver, std::string> {
 public:
  SocketTextReceiver() = default;
  // Each block is kept on two executors, as Spark's MEMORY_AND_DISK_SER_2 default
  // (streaming.receiver.replication=1 keeps one copy; with the receiver WAL on, one).
  SocketTextReceiver(std::string host, int port) : host_(std::move(host)), port_(port) { setReplication(2); }

  void onStart() override;
  void onStop() override;
  std::string name() const override { return "SocketReceiver"; }

  template <class A> void serialize(A& ar) { ar(host_, port_); }

 private:
  void receive();

  std::string host_;
  int32_t port_ = 0;
  std::thread thread_;
};

}  // namespace sluice
