// ZapHandler, internal to rpc/: ZeroMQ's authentication hook (ZAP, ZeroMQ RFC 27) for one
// transport's context, used when auth.enabled is set. libzmq asks it about every client that
// completed the CURVE handshake with our ROUTER: the client proved it holds the secret key of
// the public key it presents, and this handler accepts it only if that key is the cluster's
// (rpc/curve_keys.h). Anything else (another mechanism, another key) is refused, and the
// refusal is reported with the client's address.
//
// A client with a different secret does not get this far: it cannot encrypt its CURVE HELLO
// to our public key, so libzmq ends the handshake itself (the ROUTER's connection monitor
// reports that, naming only the local endpoint).
//
// THREADING: owned by the transport's I/O thread; the REP socket is polled next to the
// ROUTER. Only one ZAP handler may exist per ZeroMQ context (libzmq's fixed endpoint).
#pragma once

#include <functional>
#include <string>
#include <zmq.hpp>

namespace sluice::rpc {

class ZapHandler {
 public:
  // address: the client's IP address; reason: why it was refused.
  using RefuseFn = std::function<void(const std::string& address, const std::string& reason)>;

  // Binds libzmq's ZAP endpoint in ctx; before any socket of ctx needs it.
  ZapHandler(zmq::context_t& ctx, std::string accepted_public_key, RefuseFn on_refuse);
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  // The REP socket to poll for ZMQ_POLLIN.
  void* handle() { return socket_.handle(); }
  // Answers every queued request; never blocks.
  void drain();

 private:
  zmq::socket_t socket_;
  std::string accepted_;
  RefuseFn on_refuse_;
};

}  // namespace sluice::rpc
