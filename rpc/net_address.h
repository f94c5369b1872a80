// Host names and local addresses of the TCP endpoints (tcp://host:port) the daemons and
// the driver connect to: a name checked before a connection is tried (ZeroMQ would retry
// an unknown name silently for ever), and the address of this machine that a peer can
// reach it at. IPv4 only, as the endpoints are. Thread-safe (no state).
#pragma once

#include <string>

#include "common/status.h"

namespace sluice::rpc {

// The first IPv4 address of host, a name or a dotted quad, as text ("10.77.0.1").
// NotFound with the resolver's reason ("Name or service not known") when it has none.
// May block on DNS for as long as the system resolver takes.
StatusOr<std::string> resolveIpv4(const std::string& host);

// The address of this machine that the kernel would send from to reach ip (a dotted quad):
// the local end of a UDP socket connected to it, so no packet is sent. 127.0.0.1 for a
// loopback ip; Unavailable when no route leads to ip.
StatusOr<std::string> localAddressToward(const std::string& ip);

}  // namespace sluice::rpc
