// Reading a ZeroMQ socket monitor (zmq_socket_monitor), internal to rpc/: the ROUTER's
// ConnectionMonitor and each DEALER's HandshakeWatch attach one and read its events here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <zmq.hpp>

namespace sluice::rpc {

struct MonitorEvent {
  uint16_t event = 0;    // ZMQ_EVENT_*
  uint32_t value = 0;    // an fd, an errno or a protocol error, by event
  std::string endpoint;  // the monitored socket's endpoint
};

// Starts monitoring socket for events (a ZMQ_EVENT_* mask) and connects events, a PAIR in
// the socket's context, to it. Throws zmq::error_t when ZeroMQ refuses.
void attachMonitor(zmq::socket_t& socket, int events_mask, zmq::socket_t& events);

// The next event queued on a monitor's PAIR socket, or nullopt when there is none; never
// blocks. A malformed event is skipped.
std::optional<MonitorEvent> nextMonitorEvent(zmq::socket_t& events);

}  // namespace sluice::rpc
