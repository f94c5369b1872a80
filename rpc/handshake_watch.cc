#include "rpc/handshake_watch.h"

#include <atomic>
#include <cstdio>
#include <cstring>

namespace sluice::rpc {

namespace {

constexpr int kEvents = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

std::string monitorEndpoint() {
  static std::atomic<uint64_t> next{0};
  return "inproc://sluice-dealer-monitor-" + std::to_string(next.fetch_add(1));
}

std::string hex(uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%X", value);
  return buf;
}

}  // namespace

std::string describeHandshakeFailure(uint16_t event, uint32_t value) {
  switch (event) {
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
      if (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) {
        return "ZeroMQ security mechanisms differ: auth.enabled is set on one side only";
      }
      if (value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC) {
        return "CURVE authentication failed: the two sides have different auth secrets";
      }
      return "ZeroMQ handshake failed (protocol error 0x" + hex(value) + ")";
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
      return "refused by the peer's authentication (ZAP status " + std::to_string(value) +
             "): the two sides have different auth secrets";
    default:
      return std::string("closed during the ZeroMQ handshake (") + std::strerror(static_cast<int>(value)) + ")";
  }
}

bool isSecurityFailure(uint16_t event, uint32_t value) {
  return event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH ||
         (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL &&
          (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH || value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC));
}

HandshakeWatch::HandshakeWatch(zmq::context_t& ctx, zmq::socket_t& dealer, bool curve)
    : dealer_(dealer), events_(ctx, zmq::socket_type::pair), curve_(curve) {
  std::string endpoint = monitorEndpoint();
  if (zmq_socket_monitor(dealer_.handle(), endpoint.c_str(), kEvents) != 0) throw zmq::error_t();
  events_.set(zmq::sockopt::linger, 0);
  events_.connect(endpoint);
}

HandshakeWatch::~HandshakeWatch() { zmq_socket_monitor(dealer_.handle(), nullptr, 0); }

HandshakeWatch::Outcome HandshakeWatch::drain() {
  Outcome outcome;
  while (true) {
    zmq::message_t head;
    if (!events_.recv(head, zmq::recv_flags::dontwait)) return outcome;
    while (head.more()) {  // the endpoint part: the dealer's own endpoint, known already
      zmq::message_t rest;
      if (!events_.recv(rest, zmq::recv_flags::dontwait) || !rest.more()) break;
    }
    if (head.size() < 6) continue;
    uint16_t event;
    uint32_t value;
    std::memcpy(&event, head.data(), 2);
    std::memcpy(&value, static_cast<const char*>(head.data()) + 2, 4);
    if (event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      last_failure_.clear();
      cut_in_a_row_ = 0;
      outcome = Outcome{};
      continue;
    }
    bool security = isSecurityFailure(event, value);
    last_failure_ = describeHandshakeFailure(event, value);
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL && ++cut_in_a_row_ >= kCutHandshakesMeaningOtherSecurity) {
      security = true;
      last_failure_ = (curve_ ? "the server ends every CURVE handshake: it has a different auth secret, or "
                                "auth.enabled is not set there ("
                              : "the server ends every handshake: auth.enabled is set there and not here (") +
                      last_failure_ + ")";
    }
    outcome = Outcome{true, security, last_failure_};
  }
}

}  // namespace sluice::rpc
