#include "rpc/connection_monitor.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "rpc/handshake_watch.h"
#include "rpc/monitor_events.h"

namespace sluice::rpc {

namespace {

constexpr int kRouterEvents = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED |
                        ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;


// The IP address of the peer of a connected TCP socket, or "".
std::string peerAddressOf(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "";
  char text[INET6_ADDRSTRLEN] = {};
  const void* ip = addr.ss_family == AF_INET6 ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr)
                                               : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&addr)->sin_addr);
  if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6) return "";
  return ::inet_ntop(addr.ss_family, ip, text, sizeof text) != nullptr ? text : "";
}

}  // namespace

ConnectionMonitor::ConnectionMonitor(zmq::context_t& ctx, zmq::socket_t& router, RejectFn on_reject,
                                     ClosedFn on_closed)
    : router_(router),
      events_(ctx, zmq::socket_type::pair),
      on_reject_(std::move(on_reject)),
      on_closed_(std::move(on_closed)) {
  attachMonitor(router_, kRouterEvents, events_);
}

ConnectionMonitor::~ConnectionMonitor() { zmq_socket_monitor(router_.handle(), nullptr, 0); }

void ConnectionMonitor::drain() {
  while (auto e = nextMonitorEvent(events_)) onEvent(e->event, e->value, e->endpoint);
}

void ConnectionMonitor::onEvent(uint16_t event, uint32_t value, const std::string& endpoint) {
  switch (event) {
    case ZMQ_EVENT_ACCEPTED:
      connections_[static_cast<int>(value)] = Connection{next_order_++, false, peerAddressOf(static_cast<int>(value))};
      return;
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: {
      Connection* newest = nullptr;
      for (auto& [fd, c] : connections_) {
        if (!c.handshaken && (newest == nullptr || c.order > newest->order)) newest = &c;
      }
      if (newest != nullptr) newest->handshaken = true;
      return;
    }
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
      failure_ = describeHandshakeFailure(event, value);
      return;
    case ZMQ_EVENT_DISCONNECTED: {
      auto it = connections_.find(static_cast<int>(value));
      bool handshaken = it != connections_.end() && it->second.handshaken;
      std::string address = it != connections_.end() ? it->second.address : "";
      if (it != connections_.end()) connections_.erase(it);
      std::string failure = std::move(failure_);
      failure_.clear();
      if (!failure.empty()) {
        on_reject_(endpoint, address, failure);
      } else if (!handshaken) {
        on_reject_(endpoint, address, "not a ZeroMQ 3 peer (raw bytes, another protocol or an old ZeroMQ)");
      } else if (on_closed_) {
        on_closed_(endpoint, address);
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace sluice::rpc
