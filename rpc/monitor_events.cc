#include "rpc/monitor_events.h"

#include <atomic>
#include <cstring>

namespace sluice::rpc {

void attachMonitor(zmq::socket_t& socket, int events_mask, zmq::socket_t& events) {
  static std::atomic<uint64_t> next{0};
  std::string endpoint = "inproc://sluice-monitor-" + std::to_string(next.fetch_add(1));
  if (zmq_socket_monitor(socket.handle(), endpoint.c_str(), events_mask) != 0) throw zmq::error_t();
  events.set(zmq::sockopt::linger, 0);
  events.connect(endpoint);
}

std::optional<MonitorEvent> nextMonitorEvent(zmq::socket_t& events) {
  while (true) {
    zmq::message_t head;
    if (!events.recv(head, zmq::recv_flags::dontwait)) return std::nullopt;
    // Each event is two parts: 6 bytes (event, value) and the endpoint.
    MonitorEvent e;
    while (head.more()) {
      zmq::message_t rest;
      if (!events.recv(rest, zmq::recv_flags::dontwait)) break;
      e.endpoint = rest.to_string();
      if (!rest.more()) break;
    }
    if (head.size() < 6) continue;
    std::memcpy(&e.event, head.data(), 2);
    std::memcpy(&e.value, static_cast<const char*>(head.data()) + 2, 4);
    return e;
  }
}

}  // namespace sluice::rpc
