// SendBudgets: the bytes of frames handed to ZeroMQ for each peer and not yet written to its
// connection, so that a peer that reads slowly or not at all cannot make this process queue
// without bound (rpc/peer_bounds.h). A frame goes to ZeroMQ as a zero-copy message that owns
// it; ZeroMQ frees the message once the frame is in the kernel's socket buffer (or dropped,
// e.g. for a ROUTER peer that is gone), and the free gives its bytes back to the peer's budget.
//
// THREADING: charge() and outstanding() on the transport's I/O thread only. The bytes are
// given back on ZeroMQ's own threads (or the I/O thread), through an atomic counter that each
// message shares, so a message freed after this object is gone is harmless.
#pragma once

#include <atomic>
#include <cstddef>
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "rpc/transport.h"

namespace sluice::rpc {

class SendBudgets {
 public:
  // A message holding frame (moved in), charged to peer until ZeroMQ frees it; or nullopt,
  // frame untouched, if peer's outstanding bytes plus frame's would exceed budget. A frame
  // of at most budget bytes always fits when nothing is outstanding.
  std::optional<zmq::message_t> charge(const Peer& peer, std::string& frame, size_t budget);
  // Bytes charged to peer and not yet given back.
  size_t outstanding(const Peer& peer) const;

 private:
  using Counter = std::atomic<size_t>;
  // Forgets peers with nothing outstanding, once the table has grown (ROUTER peers get a new
  // identity per connection).
  void prune();

  std::map<Peer, std::shared_ptr<Counter>> counters_;
  size_t prune_above_ = 256;
};

}  // namespace sluice::rpc
