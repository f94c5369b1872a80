#include "rpc/net_address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice::rpc {

StatusOr<std::string> resolveIpv4(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    std::string why = rc == EAI_SYSTEM ? std::strerror(errno) : rc != 0 ? ::gai_strerror(rc) : "no IPv4 address";
    return Status::notFound(why);
  }
  char text[INET_ADDRSTRLEN] = {};
  const auto* in = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
  ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
  ::freeaddrinfo(found);
  return std::string(text);
}

StatusOr<std::string> localAddressToward(const std::string& ip) {
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(9);  // any port: connect() on a UDP socket only picks the route
  if (::inet_pton(AF_INET, ip.c_str(), &peer.sin_addr) != 1) {
    return Status::invalidArgument("not an IPv4 address: '" + ip + "'");
  }
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::unavailable(std::string("cannot open a UDP socket: ") + std::strerror(errno));
  sockaddr_in local{};
  socklen_t len = sizeof local;
  Status st = Status::ok();
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&peer), sizeof peer) != 0) {
    st = Status::unavailable("no route to " + ip + ": " + std::strerror(errno));
  } else if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
    st = Status::unavailable(std::string("cannot read the local address: ") + std::strerror(errno));
  }
  ::close(fd);
  if (!st) return st;
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &local.sin_addr, text, sizeof text);
  return std::string(text);
}

}  // namespace sluice::rpc
