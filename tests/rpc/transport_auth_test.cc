// auth.enabled on the transport (issue 16): CURVE with keys derived from the secret, the ZAP
// handler, and what each side says when the other's security differs. Real transports on
// loopback ports; a TCP relay between them shows what crosses the wire.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "common/serialize.h"
#include "rpc/curve_keys.h"
#include "rpc/transport.h"
#include "tests/common/log_capture.h"

namespace sluice::rpc {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "a-test-secret-of-32-bytes-length";
constexpr char kOtherSecret[] = "another-secret-of-the-same-size!";
constexpr char kMarker[] = "PLAINTEXT-MARKER-4242";

// Whether the capture gets a warning containing text and also within a few seconds (the
// server logs on its own thread, after the client has its answer).
bool warned(const testing::LogCapture& log, const std::string& text, const std::string& also = "") {
  auto has = [&] {
    for (const std::string& line : log.at(spdlog::level::warn, text)) {
      if (line.find(also) != std::string::npos) return true;
    }
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!has()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TransportOptions withSecret(const std::string& secret) {
  TransportOptions options;
  if (!secret.empty()) {
    auto keys = curveKeysFor(secret);
    REQUIRE(keys.isOk());
    options.curve = *keys;
  }
  return options;
}

// A transport on a free loopback port that answers every kPing with a kPong carrying the
// same payload.
class PongServer {
 public:
  explicit PongServer(const std::string& secret) : transport_("server", withSecret(secret)) {
    auto endpoint = transport_.bind("tcp://127.0.0.1:0");
    REQUIRE(endpoint.isOk());
    endpoint_ = *endpoint;
    transport_.setHandler([this](const Peer& from, Envelope&& env) {
      transport_.send(from, encodeFrame(MessageTag::kPong, env.payload, env.correlation, kFlagReply));
    });
    transport_.start();
  }
  ~PongServer() { transport_.stop(); }
  const std::string& endpoint() const { return endpoint_; }
  int port() const { return portOf(endpoint_); }

 private:
  Transport transport_;
  std::string endpoint_;
};

StatusOr<Envelope> ping(const std::string& client_secret, const std::string& endpoint,
                        std::chrono::milliseconds timeout = 5000ms) {
  Transport client("client", withSecret(client_secret));
  client.start();
  auto reply = client.call(Peer::dealer(endpoint), MessageTag::kPing, kMarker, timeout);
  client.stop();
  return reply;
}

// Relays one TCP connection at a time from a free port to target_port, keeping a copy of
// every byte that crossed in either direction.
class TcpRelay {
 public:
  explicit TcpRelay(int target_port) : target_port_(target_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listen_fd_, 4) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~TcpRelay() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    thread_.join();
  }
  std::string endpoint() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  std::string seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  void run() {
    while (!stop_) {
      int in = ::accept(listen_fd_, nullptr, nullptr);
      if (in < 0) return;
      int out = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(target_port_));
      if (::connect(out, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(in);
        ::close(out);
        continue;
      }
      std::thread back([this, in, out] { pump(out, in); });
      pump(in, out);
      back.join();
      ::close(in);
      ::close(out);
    }
  }
  void pump(int from, int to) {
    char buf[4096];
    while (true) {
      ssize_t n = ::recv(from, buf, sizeof buf, 0);
      if (n <= 0 || ::send(to, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
      std::lock_guard<std::mutex> lock(mu_);
      seen_.append(buf, static_cast<size_t>(n));
    }
    ::shutdown(to, SHUT_RDWR);
    ::shutdown(from, SHUT_RDWR);
  }

  int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::string seen_;
};

}  // namespace

TEST_CASE("curve keys: the same secret gives the same keypair, another secret another one", "[rpc][auth]") {
  auto a = curveKeysFor(kSecret);
  auto b = curveKeysFor(std::string(kSecret));
  auto c = curveKeysFor(kOtherSecret);
  REQUIRE(a.isOk());
  REQUIRE(c.isOk());
  CHECK((*a)->public_key.size() == 32);
  CHECK((*a)->secret_key.size() == 32);
  CHECK((*a)->public_key == (*b)->public_key);
  CHECK((*a)->public_key != (*c)->public_key);
  CHECK((*a)->secret_key != (*a)->public_key);
}

TEST_CASE("auth: two transports with the same secret talk, and the wire carries no plaintext", "[rpc][auth]") {
  PongServer server(kSecret);
  TcpRelay relay(server.port());
  auto reply = ping(kSecret, relay.endpoint());
  REQUIRE(reply.isOk());
  CHECK(reply->payload == kMarker);
  std::string wire = relay.seen();
  CHECK(wire.find("CURVE") != std::string::npos);  // the ZMTP greeting names the mechanism
  CHECK(wire.find(kMarker) == std::string::npos);
}

TEST_CASE("auth: without auth the same exchange crosses the wire in clear (the relay can see)", "[rpc][auth]") {
  PongServer server("");
  TcpRelay relay(server.port());
  auto reply = ping("", relay.endpoint());
  REQUIRE(reply.isOk());
  CHECK(relay.seen().find(kMarker) != std::string::npos);
}

TEST_CASE("auth: a client with another secret is refused, and both sides say why", "[rpc][auth]") {
  testing::LogCapture log;
  PongServer server(kSecret);
  auto reply = ping(kOtherSecret, server.endpoint(), 3000ms);
  REQUIRE(!reply.isOk());
  INFO(reply.status().message());
  CHECK(reply.status().message().find("different auth secret") != std::string::npos);
  CHECK(warned(log, "refused a connection to " + server.endpoint()));
}

TEST_CASE("auth: a client without auth is refused at once, naming auth.enabled", "[rpc][auth]") {
  testing::LogCapture log;
  PongServer server(kSecret);
  auto started = std::chrono::steady_clock::now();
  auto reply = ping("", server.endpoint(), 10000ms);
  REQUIRE(!reply.isOk());
  INFO(reply.status().message());
  CHECK(reply.status().code() == StatusCode::kUnavailable);  // failed on the handshake, not the timeout
  CHECK(reply.status().message().find("auth.enabled") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 10000ms);
  CHECK(warned(log, "refused a connection to " + server.endpoint()));
}

TEST_CASE("auth: a client with auth cannot talk to a server without it", "[rpc][auth]") {
  testing::LogCapture log;
  PongServer server("");
  auto reply = ping(kSecret, server.endpoint(), 10000ms);
  REQUIRE(!reply.isOk());
  INFO(reply.status().message());
  CHECK(reply.status().code() == StatusCode::kUnavailable);
  // Depending on which side notices first: the mismatch itself, or a server that cuts every handshake.
  CHECK(reply.status().message().find("auth.enabled") != std::string::npos);
  CHECK(warned(log, "refused a connection to " + server.endpoint()));
}

TEST_CASE("auth: a client that knows the cluster's public key but not its secret key is refused by ZAP", "[rpc][auth]") {
  testing::LogCapture log;
  PongServer server(kSecret);
  auto cluster = curveKeysFor(kSecret);
  REQUIRE(cluster.isOk());
  char pub[41];
  char sec[41];
  REQUIRE(zmq_curve_keypair(pub, sec) == 0);
  zmq::context_t ctx;
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.set(zmq::sockopt::rcvtimeo, 2000);
  dealer.set(zmq::sockopt::curve_serverkey, zmq::buffer((*cluster)->public_key));
  dealer.set(zmq::sockopt::curve_publickey, std::string(pub));
  dealer.set(zmq::sockopt::curve_secretkey, std::string(sec));
  dealer.connect(server.endpoint());
  std::string frame = encodeFrame(MessageTag::kPing, kMarker, 7);
  dealer.send(zmq::buffer(frame), zmq::send_flags::dontwait);
  zmq::message_t reply;
  CHECK(!dealer.recv(reply, zmq::recv_flags::none));  // no answer: never let in
  REQUIRE(warned(log, "refused a connection from 127.0.0.1"));
  auto refused = log.at(spdlog::level::warn, "refused a connection from 127.0.0.1");
  CHECK(refused[0].find("not the cluster's") != std::string::npos);
}

}  // namespace sluice::rpc
