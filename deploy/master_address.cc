#include "deploy/master_address.h"

#include "deploy/master_url.h"
#include "rpc/net_address.h"

namespace sluice {

StatusOr<MasterAddress> resolveMasterAddress(const std::string& url) {
  auto parsed = parseMasterUrl(url);
  if (!parsed) return parsed.status();
  if (parsed->kind != MasterUrl::Kind::kStandalone) {
    return Status::invalidArgument("this needs a standalone master (sluice://host:port), not " + url);
  }
  auto ip = rpc::resolveIpv4(parsed->host);
  if (!ip) return Status::notFound("cannot resolve master host '" + parsed->host + "': " + ip.status().message());
  return MasterAddress{url, parsed->host, *ip, parsed->port};
}

Status masterNotAnswering(const std::string& url, const Status& call, std::chrono::milliseconds timeout) {
  if (call.code() == StatusCode::kTimeout) {
    return Status::unavailable("no master answered at " + url + " within " + describeWait(timeout));
  }
  return Status::unavailable("cannot reach master " + url + ": " + call.message());
}

std::string describeWait(std::chrono::milliseconds wait) {
  int64_t ms = wait.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace sluice
