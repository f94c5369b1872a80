#include "deploy/cluster_submit.h"

#include <filesystem>

#include "common/app_loader.h"
#include "common/auth_secret.h"
#include "common/config_keys.h"
#include "deploy/master_address.h"
#include "rpc/transport.h"
#include "rpc/transport_options.h"

namespace sluice {

namespace {

// One request to the master and its decoded reply.
template <class Reply, class Request>
StatusOr<Reply> askMaster(const std::string& master_url, const Request& request, const Conf& conf) {
  auto master = resolveMasterAddress(master_url);
  if (!master) return master.status();
  rpc::Transport transport("submit", rpc::transportOptions(conf));
  transport.start();
  auto timeout = conf.get(keys::kMasterConnectTimeout);
  auto answer = transport.call(rpc::Peer::dealer(master->endpoint()), request, timeout);
  if (!answer) return masterNotAnswering(master_url, answer.status(), timeout);
  return rpc::decodeAs<Reply>(*answer);
}

}  // namespace

StatusOr<std::string> submitDriver(const ClusterSubmission& s) {
  auto file = describeAppFile(s.app_path);
  if (!file) return file.status();
  auto bytes = readFileRange(s.app_path, 0, file->size);
  if (!bytes) return bytes.status();
  rpc::SubmitDriver req;
  req.app_name = s.app_name;
  req.app_file_name = std::filesystem::path(s.app_path).filename().string();
  req.app_bytes = std::move(*bytes);
  req.app_args = s.app_args;
  req.conf = auth::withoutSecret(s.conf);  // the worker hands its own secret to the driver
  req.driver_cores = static_cast<int32_t>(s.conf.get(keys::kDriverCores));
  req.driver_memory_mb = s.conf.get(keys::kDriverMemory) >> 20;
  req.supervise = s.supervise;
  auto reply = askMaster<rpc::SubmitDriverReply>(s.master_url, req, s.conf);
  if (!reply) return reply.status();
  if (!reply->ok) return Status::aborted("master refused the driver: " + reply->error);
  return reply->driver_id;
}

StatusOr<rpc::DriverStatusReply> requestDriverStatus(const std::string& master_url, const std::string& driver_id,
                                                     const Conf& conf) {
  return askMaster<rpc::DriverStatusReply>(master_url, rpc::DriverStatusRequest{driver_id}, conf);
}

StatusOr<rpc::KillDriverReply> requestKillDriver(const std::string& master_url, const std::string& driver_id,
                                                 const Conf& conf) {
  return askMaster<rpc::KillDriverReply>(master_url, rpc::KillDriver{driver_id}, conf);
}

}  // namespace sluice
