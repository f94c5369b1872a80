#include "rpc/zap_handler.h"

#include <vector>

namespace sluice::rpc {

namespace {

constexpr char kZapEndpoint[] = "inproc://zeromq.zap.01";
constexpr char kZapVersion[] = "1.0";
// A request: version, request id, domain, address, routing identity, mechanism, then the
// mechanism's credentials (CURVE: the client's 32-byte public key).
constexpr size_t kRequestParts = 7;

}  // namespace

ZapHandler::ZapHandler(zmq::context_t& ctx, std::string accepted_public_key, RefuseFn on_refuse)
    : socket_(ctx, zmq::socket_type::rep), accepted_(std::move(accepted_public_key)), on_refuse_(std::move(on_refuse)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind(kZapEndpoint);
}

void ZapHandler::drain() {
  while (true) {
    std::vector<zmq::message_t> parts;
    zmq::message_t part;
    if (!socket_.recv(part, zmq::recv_flags::dontwait)) return;
    parts.push_back(std::move(part));
    while (parts.back().more()) {
      zmq::message_t next;
      if (!socket_.recv(next, zmq::recv_flags::dontwait)) break;
      parts.push_back(std::move(next));
    }
    std::string request_id = parts.size() > 1 ? parts[1].to_string() : "";
    std::string address = parts.size() > 3 ? parts[3].to_string() : "an unknown address";
    std::string reason;
    if (parts.size() < kRequestParts - 1 || parts[0].to_string() != kZapVersion) {
      reason = "malformed ZAP request";
    } else if (parts[5].to_string() != "CURVE") {
      reason = "mechanism " + parts[5].to_string() + " instead of CURVE (auth.enabled is not set there)";
    } else if (parts.size() != kRequestParts || parts[6].to_string() != accepted_) {
      reason = "a CURVE key that is not the cluster's (a different auth secret)";
    }
    bool ok = reason.empty();
    socket_.send(zmq::str_buffer("1.0"), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(request_id), zmq::send_flags::sndmore);
    socket_.send(ok ? zmq::str_buffer("200") : zmq::str_buffer("400"), zmq::send_flags::sndmore);
    socket_.send(ok ? zmq::str_buffer("OK") : zmq::str_buffer("not a member of this cluster"), zmq::send_flags::sndmore);
    socket_.send(ok ? zmq::str_buffer("cluster") : zmq::str_buffer(""), zmq::send_flags::sndmore);
    socket_.send(zmq::str_buffer(""), zmq::send_flags::none);
    if (!ok) on_refuse_(address, reason);
  }
}

}  // namespace sluice::rpc
