// Peer's printable form and endpoint ports (rpc/transport.h).
#include <algorithm>
#include <string>

#include "rpc/transport.h"

namespace sluice::rpc {

namespace {

// Bytes of a peer's routing identity shown in logs (ZeroMQ's own identities have 5).
constexpr size_t kShownIdentityBytes = 8;

std::string toHex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

}  // namespace

std::string Peer::toString() const {
  if (kind == Kind::kDealer) return id;
  if (id.size() <= kShownIdentityBytes) return "client:" + toHex(id);
  return "client:" + toHex(id.substr(0, kShownIdentityBytes)) + "...";
}

int portOf(const std::string& endpoint) {
  size_t scheme = endpoint.find("://");
  size_t colon = endpoint.rfind(':');
  if (scheme == std::string::npos || colon == std::string::npos || colon <= scheme + 3) {
    return -1;
  }
  std::string digits = endpoint.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return -1;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1;
  }
  int port = std::stoi(digits);
  return port <= 65535 ? port : -1;
}

}  // namespace sluice::rpc
