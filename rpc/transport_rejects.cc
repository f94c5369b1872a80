// Transport::Impl's refusals: frames above the frame limit (at the sender), malformed frames
// and undecodable payloads, connections refused during the ZeroMQ handshake or by the ZAP
// handler, and handshakes that failed with a server we connect to, each with one log line,
// rate-limited by PeerLogLimiter (rpc/FORMAT.md, "Rejected input and the log").
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>

#include "rpc/frame_limit.h"
#include "rpc/peer_bounds.h"
#include "rpc/transport_impl.h"

namespace sluice::rpc {

bool Transport::Impl::fitsLimit(const Peer& to, size_t frame_size) {
  size_t limit = max_frame_bytes_.load();
  if (frame_size <= limit) return true;
  spdlog::error("{}: not sending a frame of {} bytes to {}: above {} ({} bytes)", name_, frame_size,
                to.toString(), keys::kRpcMaxFrameBytes.name, limit);
  return false;
}

std::optional<zmq::message_t> Transport::Impl::charge(const Peer& to, std::string& frame) {
  const size_t budget = sendBudgetBytes(max_frame_bytes_.load());
  std::optional<zmq::message_t> msg = send_budgets_.charge(to, frame, budget);
  if (msg) return msg;
  // A key of its own, so that dropped sends do not use up the lines of malformed frames.
  std::string more;
  if (!mayLog("budget " + to.toString(), "dropped frames to it", more)) return std::nullopt;
  spdlog::warn("{}: dropped a frame of {} bytes to {}: {} bytes to it are not written yet (it reads slowly or not "
               "at all), and a peer may have at most {} ({} x {}){}",
               name_, frame.size(), to.toString(), send_budgets_.outstanding(to), budget, kSendBudgetFrames,
               keys::kRpcMaxFrameBytes.name, more);
  return std::nullopt;
}

void Transport::Impl::dropMalformed(const Peer& from, const std::string& source,
                                    const std::string& reason) {
  frames_dropped_.fetch_add(1, std::memory_order_relaxed);
  std::string key = source.empty() ? from.toString() : source;
  std::string more;
  if (!mayLog(key, "from " + key, more)) return;
  std::string at = from.kind == Peer::Kind::kRouterClient && !source.empty() ? " at " + source : "";
  spdlog::warn("{}: dropped malformed frame from {}{}: {}{}", name_, from.toString(), at, reason, more);
}

// Whether a line keyed by key may be logged now; more: what to append when lines were not.
bool Transport::Impl::mayLog(const std::string& key, const std::string& what, std::string& more) {
  PeerLogLimiter::Decision d = log_limiter_.allow(key);
  more = d.suppressed == 0 ? "" : " (" + std::to_string(d.suppressed) + " more " + what + " not logged)";
  return d.log;
}

void Transport::Impl::rejectConnection(const std::string& endpoint, const std::string& address,
                                       const std::string& reason) {
  // Limited per local endpoint: many addresses cannot add up to more lines than one.
  std::string more;
  if (!mayLog(endpoint, "refused connections", more)) return;
  std::string from = address.empty() ? "" : " from " + address;
  spdlog::warn("{}: refused a connection to {}{}: {}{}", name_, endpoint, from, reason, more);
}

void Transport::Impl::rejectClient(const std::string& address, const std::string& reason) {
  std::string more;
  if (!mayLog(address, "refused connections from there", more)) return;
  spdlog::warn("{}: refused a connection from {}: {}{}", name_, address, reason, more);
}

void Transport::Impl::onHandshakeEvents(DealerConn& conn) {
  HandshakeWatch::Outcome outcome = conn.handshakes->drain();
  if (!outcome.failed) return;
  std::string more;
  if (mayLog(conn.peer.id, "failed handshakes", more)) {
    spdlog::warn("{}: cannot connect to {}: {}{}", name_, conn.peer.id, outcome.reason, more);
  }
  // A security mismatch does not go away by retrying: the calls waiting on it fail now.
  if (outcome.security) {
    failCalls([&](const PendingCall& p) { return p.peer == conn.peer; },
              Status::unavailable(conn.peer.id + " refused the connection: " + outcome.reason));
  }
}

void Transport::Impl::connectionClosed(const std::string& endpoint, const std::string& address) {
  // A key of its own, so that departures do not use up the lines of refused connections.
  std::string more;
  if (!mayLog("closed " + endpoint, "closed connections", more)) return;
  // The limit ZeroMQ applies on this ROUTER: the one it was bound with.
  int64_t limit = router_ ? router_->get(zmq::sockopt::maxmsgsize) : -1;
  std::string from = address.empty() ? "" : " from " + address;
  spdlog::info("{}: a connection to {}{} closed: its peer left, or sent a frame above {} ({} bytes), which "
               "ZeroMQ refuses unread{}",
               name_, endpoint, from, keys::kRpcMaxFrameBytes.name, limit, more);
}

}  // namespace sluice::rpc
