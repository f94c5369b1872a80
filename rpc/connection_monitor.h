// ConnectionMonitor, internal to rpc/: watches the connections of a bound ROUTER through a
// ZeroMQ socket monitor and reports every connection that ends without completing a ZMTP 3
// handshake: raw bytes, an HTTP request, a port scanner, a TLS client, an old ZeroMQ peer.
// Together with the ROUTER's ZAP domain (which makes ZeroMQ refuse the ZMTP 1.0/2.0
// protocols instead of parsing arbitrary bytes as their messages, see transport.cc), such a
// connection produces no message at all, only this one report.
//
// How a connection is followed: ACCEPTED and DISCONNECTED carry its fd; a HANDSHAKE_FAILED_*
// event is always followed at once by the DISCONNECTED of the same connection (libzmq emits
// both from one call on its single I/O thread); a refused old protocol shows as a
// DISCONNECTED without any handshake event. HANDSHAKE_SUCCEEDED names no connection: it is
// credited to the newest connection still in its handshake (a real peer completes it within
// milliseconds of being accepted, while a silent or garbage one stays unresolved). Two
// handshakes that cross can be credited the wrong way round; the cost is one misattributed
// log line, never a dropped message.
//
// A connection that completed its handshake and then ended is reported too, to on_closed: the
// peer left, or ZeroMQ cut it off for a message above ZMQ_MAXMSGSIZE. libzmq reports both with
// the same DISCONNECTED event (a decode error emits no event of its own), so the report cannot
// say which; it is what makes a refused oversized frame visible at all.
//
// The peer's address: libzmq 4.3's stable monitor events name only the local endpoint, so the
// monitor asks the kernel (getpeername) for the address of the fd as soon as it reads the
// ACCEPTED event. A connection refused at once (raw bytes, an old protocol) is usually
// closed by then, and is reported without an address; one refused by CURVE lives for at
// least a handshake round trip, long enough to be named. (Should the fd have been closed and
// reused by a newer connection in between, the line would name that one's address.)

// THREADING: owned by the transport's I/O thread; the monitor socket is polled next to the
// ROUTER.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <zmq.hpp>

namespace sluice::rpc {

class ConnectionMonitor {
 public:
  // endpoint: the local endpoint the connection came to; address: the peer's IP address, or
  // "" when it is not known; reason: why it was refused.
  using RejectFn =
      std::function<void(const std::string& endpoint, const std::string& address, const std::string& reason)>;
  // endpoint, address: as above, for a connection that ended after its handshake.
  using ClosedFn = std::function<void(const std::string& endpoint, const std::string& address)>;

  // Starts monitoring router, which must live in ctx and outlive this object. on_closed may
  // be empty.
  ConnectionMonitor(zmq::context_t& ctx, zmq::socket_t& router, RejectFn on_reject, ClosedFn on_closed = {});
  ~ConnectionMonitor();
  ConnectionMonitor(const ConnectionMonitor&) = delete;
  ConnectionMonitor& operator=(const ConnectionMonitor&) = delete;

  // The PAIR socket to poll for ZMQ_POLLIN.
  void* handle() { return events_.handle(); }
  // Handles every event queued on the monitor socket; never blocks.
  void drain();

 private:
  struct Connection {
    uint64_t order = 0;
    bool handshaken = false;
    std::string address;  // "" if it was closed before it could be asked
  };
  void onEvent(uint16_t event, uint32_t value, const std::string& endpoint);

  zmq::socket_t& router_;
  zmq::socket_t events_;
  RejectFn on_reject_;
  ClosedFn on_closed_;
  std::map<int, Connection> connections_;  // by fd
  uint64_t next_order_ = 0;
  std::string failure_;  // the last HANDSHAKE_FAILED_* not yet matched to its DISCONNECTED
};

}  // namespace sluice::rpc
