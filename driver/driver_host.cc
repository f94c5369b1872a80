#include "driver/driver_host.h"

#include "common/config_keys.h"
#include "rpc/net_address.h"

namespace sluice {

StatusOr<DriverHost> chooseDriverHost(const Conf& conf, const MasterAddress* master) {
  constexpr const char* kLoopback = "127.0.0.1";
  if (conf.contains(keys::kDriverHost)) {
    return DriverHost{conf.get(keys::kDriverHost, kLoopback), std::string("set by ") + keys::kDriverHost.name};
  }
  if (master == nullptr) return DriverHost{kLoopback, "local mode"};
  auto local = rpc::localAddressToward(master->ip);
  if (!local) {
    return Status::unavailable("cannot find an address of this machine that reaches master " + master->url + " (" +
                               master->ip + "): " + local.status().message() + "; set " + keys::kDriverHost.name);
  }
  return DriverHost{*local, "the local address that routes to master " + master->url};
}

Status executorsCannotConnect(const std::string& driver_endpoint, const std::string& host, const std::string& detail) {
  return Status::unavailable("executors cannot connect back to this driver at " + driver_endpoint + ": " + detail +
                             ". The driver advertises " + host + " (" + keys::kDriverHost.name +
                             "); if the workers cannot reach it, set --conf " + keys::kDriverHost.name +
                             "=<an address of this machine that they can reach>");
}

}  // namespace sluice
