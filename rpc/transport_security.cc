// Transport::Impl's security: the ROUTER's ZAP domain and, with auth.enabled, CURVE on the
// ROUTER (with the ZAP handler) and on every DEALER (SECURITY.md, rpc/curve_keys.h).
#include <memory>
#include <string>

#include "rpc/transport_impl.h"

namespace sluice::rpc {

namespace {

// A ZAP domain makes the ROUTER refuse ZMTP 1.0/2.0, which parse any bytes (HTTP, noise) as
// an identity and messages. With auth off no ZAP handler runs, so ZMTP 3 NULL peers pass;
// with auth on, the ZapHandler decides.
constexpr char kZapDomain[] = "sluice";

// What CURVE adds to a message on the wire (its MESSAGE command: name, nonce, MAC), which
// ZMQ_MAXMSGSIZE counts: 33 bytes in libzmq 4.3, rounded up.
constexpr size_t kCurveOverheadBytes = 64;

}  // namespace

size_t Transport::Impl::wireLimit() const {
  return max_frame_bytes_.load() + (curve_ ? kCurveOverheadBytes : 0);
}

void Transport::Impl::setServerSecurity(zmq::socket_t& router) {
  router.set(zmq::sockopt::zap_domain, kZapDomain);
  if (!curve_) return;
  zap_ = std::make_unique<ZapHandler>(ctx_, curve_->public_key, [this](const std::string& address, const std::string& reason) {
    rejectClient(address, reason);
  });
  router.set(zmq::sockopt::curve_server, true);
  router.set(zmq::sockopt::curve_secretkey, zmq::buffer(curve_->secret_key));
}

void Transport::Impl::setClientSecurity(zmq::socket_t& dealer) {
  if (!curve_) return;
  dealer.set(zmq::sockopt::curve_serverkey, zmq::buffer(curve_->public_key));
  dealer.set(zmq::sockopt::curve_publickey, zmq::buffer(curve_->public_key));
  dealer.set(zmq::sockopt::curve_secretkey, zmq::buffer(curve_->secret_key));
}

}  // namespace sluice::rpc
