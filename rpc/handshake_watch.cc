#include "rpc/handshake_watch.h"

#include <cstdio>
#include <cstring>

#include "rpc/monitor_events.h"

namespace sluice::rpc {

namespace {

constexpr int kDealerEvents = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;


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
  attachMonitor(dealer_, kDealerEvents, events_);
}

HandshakeWatch::~HandshakeWatch() { zmq_socket_monitor(dealer_.handle(), nullptr, 0); }

HandshakeWatch::Outcome HandshakeWatch::drain() {
  Outcome outcome;
  while (auto e = nextMonitorEvent(events_)) {
    uint16_t event = e->event;
    uint32_t value = e->value;
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
  return outcome;
}

}  // namespace sluice::rpc
