// HandshakeWatch, internal to rpc/: watches the ZeroMQ handshakes of one DEALER, so that a
// client learns why a server does not answer when the reason is the handshake itself: one
// side has auth.enabled and the other not, or the two have different secrets. Without it
// such a client only sees its calls time out (ZeroMQ retries the connection silently).
//
// THREADING: owned by the transport's I/O thread; the monitor socket is polled next to the
// DEALER.
#pragma once

#include <string>
#include <zmq.hpp>

namespace sluice::rpc {

class HandshakeWatch {
 public:
  // Starts monitoring dealer, which must live in ctx and outlive this object. curve: the
  // dealer uses CURVE. (A server closes, without a word, a CURVE client whose HELLO it cannot
  // decrypt, and often a client whose mechanism is not its own.)
  HandshakeWatch(zmq::context_t& ctx, zmq::socket_t& dealer, bool curve);
  ~HandshakeWatch();
  HandshakeWatch(const HandshakeWatch&) = delete;
  HandshakeWatch& operator=(const HandshakeWatch&) = delete;

  // The PAIR socket to poll for ZMQ_POLLIN.
  void* handle() { return events_.handle(); }

  struct Outcome {
    bool failed = false;    // a handshake failed since the last drain
    bool security = false;  // because the two sides' security differs: retrying cannot help
    std::string reason;     // why, for a user
  };
  // Handles every queued event; never blocks. failed: the last handshake seen failed.
  Outcome drain();
  // Why the last handshake failed, or "" if none failed since the last one that succeeded.
  const std::string& lastFailure() const { return last_failure_; }

 private:
  // A client whose handshake is cut this many times in a row, with no success between, does
  // not have the server's security (another secret, or auth on one side only): a server
  // going away cuts one or two.
  static constexpr int kCutHandshakesMeaningOtherSecurity = 3;

  zmq::socket_t& dealer_;
  zmq::socket_t events_;
  const bool curve_;
  int cut_in_a_row_ = 0;
  std::string last_failure_;
};

// A handshake failure for a user: the protocol errors that mean "not the same security" are
// named as such.
std::string describeHandshakeFailure(uint16_t event, uint32_t value);
// Whether the failure means the two sides' security differs (mechanism, keys, ZAP refusal).
bool isSecurityFailure(uint16_t event, uint32_t value);

}  // namespace sluice::rpc
