// ReliableSocketReceiver against a source speaking sluice-gen's acknowledged protocol on a
// real socket: it resumes after the position the driver recorded, acks that position first,
// drops the lines up to it that the source sends again, and stores each block with its
// last sequence number as the position.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/serialize.h"
#include "streaming/receiver/reliable_socket_receiver.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace std::chrono_literals;

namespace {

// Records the blocks a receiver stores; the driver said it recorded up to resume.
class RecordingSink : public ReceiverSink {
 public:
  explicit RecordingSink(std::string resume) : resume_(std::move(resume)) {}
  int streamId() const override { return 0; }
  std::chrono::milliseconds blockInterval() const override { return 20ms; }
  std::string resumePosition() const override { return resume_; }
  Status pushBlock(std::string bytes, int64_t, std::string position) override {
    std::vector<std::string> lines;
    Status st = fromBytes(bytes, lines);
    std::lock_guard<std::mutex> lock(mu_);
    lines_.insert(lines_.end(), lines.begin(), lines.end());
    positions_.push_back(position);
    return st;
  }
  void reportError(const std::string&) override {}
  bool stopRequested() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  }
  bool waitForStop(std::chrono::milliseconds timeout) override {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return stop_; });
  }
  void stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }
  std::vector<std::string> positions() const {
    std::lock_guard<std::mutex> lock(mu_);
    return positions_;
  }

 private:
  const std::string resume_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<std::string> lines_;
  std::vector<std::string> positions_;
};

// A listening socket on 127.0.0.1 and a free port.
int listenLocal(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

TEST_CASE("reliable socket receiver: acks its resume position first and drops the lines up to it",
          "[streaming][recovery]") {
  int port = 0;
  int server = listenLocal(&port);
  std::string acks;  // what the receiver wrote back
  std::thread source([&] {
    int conn = ::accept(server, nullptr, nullptr);
    // The source resends from its own last ack (3): lines 3..5 are already recorded.
    std::string text;
    for (int i = 3; i <= 9; ++i) text += std::to_string(i) + " line\n";
    ::send(conn, text.data(), text.size(), MSG_NOSIGNAL);
    char buf[256];
    while (acks.find("ACK 9\n") == std::string::npos) {
      ssize_t n = ::read(conn, buf, sizeof buf);
      if (n <= 0) break;
      acks.append(buf, static_cast<size_t>(n));
    }
    ::close(conn);
  });

  RecordingSink sink("5");
  ReliableSocketReceiver receiver("127.0.0.1", port);
  std::thread run([&] { receiver.run(sink); });
  bool all = testing::waitFor([&] { return sink.lines().size() >= 4; }, 10s);
  source.join();
  sink.stop();
  run.join();
  ::close(server);

  REQUIRE(all);
  CHECK(sink.lines() == std::vector<std::string>{"6 line", "7 line", "8 line", "9 line"});
  CHECK(sink.positions().back() == "9");
  REQUIRE(acks.rfind("ACK 5\n", 0) == 0);  // the resume position, before anything else
  CHECK(acks.find("ACK 9\n") != std::string::npos);
}
