// The address a driver advertises to its executors (driver.host) and the error when they
// cannot connect back to it. As Spark's driver, it advertises an address of its machine
// that the cluster can reach: with a standalone master and driver.host unset, the local
// address that routes to the master (the workers reach the master, so they most likely
// reach that address too); in local and local-cluster mode, 127.0.0.1.
#pragma once

#include <string>

#include "common/conf.h"
#include "common/status.h"
#include "deploy/master_address.h"

namespace sluice {

struct DriverHost {
  std::string address;  // what executors connect to, and what the driver binds
  std::string origin;   // how it was chosen, for the start-up log line
};

// driver.host when set; else for a standalone master (non-null master, its host already
// resolved) the local address that routes to it; else 127.0.0.1. Unavailable when no
// route leads to the master.
StatusOr<DriverHost> chooseDriverHost(const Conf& conf, const MasterAddress* master);

// The error of a driver whose executors did not connect back: Unavailable naming the
// driver's endpoint and advertised host, what went wrong (detail: "executor 0 on
// 10.77.0.2 ended before it registered (FAILED: exited with code 1)"), and driver.host as
// the remedy.
Status executorsCannotConnect(const std::string& driver_endpoint, const std::string& host, const std::string& detail);

}  // namespace sluice
