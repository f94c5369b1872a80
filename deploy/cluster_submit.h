// sluice-submit's conversations with a standalone master: submitting a driver in cluster
// mode, asking for its status, killing it. Each call gives up after the conf's
// master.connectTimeout with an error naming the master.
#pragma once

#include <string>
#include <vector>

#include "common/conf.h"
#include "common/status.h"
#include "rpc/master_messages.h"

namespace sluice {

struct ClusterSubmission {
  std::string master_url;  // sluice://host:port
  std::string app_path;
  std::string app_name;
  std::vector<std::string> app_args;
  Conf conf;
  bool supervise = false;
};

// Returns the driver id the master assigned.
StatusOr<std::string> submitDriver(const ClusterSubmission& submission);
StatusOr<rpc::DriverStatusReply> requestDriverStatus(const std::string& master_url, const std::string& driver_id,
                                                     const Conf& conf);
StatusOr<rpc::KillDriverReply> requestKillDriver(const std::string& master_url, const std::string& driver_id,
                                                 const Conf& conf);

}  // namespace sluice
