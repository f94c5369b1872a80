// StandaloneClient: an application's link to a sluice-master (Spark's
// StandaloneAppClient). It registers the application, keeps re-registering it so that a
// restarted master re-learns it, and turns the master's executor reports into executor
// losses for the CoarseGrainedSchedulerBackend.
//
// THREADING: start() and stop() from one thread; callbacks run on the transport's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/conf.h"
#include "deploy/master_address.h"
#include "rpc/master_messages.h"
#include "rpc/transport.h"

namespace sluice {

class StandaloneClient {
 public:
  // on_executor_lost(executor_id, reason).
  using LostCallback = std::function<void(const std::string&, const std::string&)>;

  // An executor that ended other than by a clean exit, as the master reported it.
  struct FailedExecutor {
    std::string executor_id;
    std::string host;  // its worker's
    std::string how;   // "FAILED: exited with code 1"
  };

  StandaloneClient(MasterAddress master, const Conf& conf, LostCallback on_lost);
  ~StandaloneClient();

  // Registers; a master that does not answer within master.connectTimeout is an
  // Unavailable "no master answered at <url> within 10 s". Returns the app id.
  StatusOr<std::string> registerApplication(rpc::RegisterApplication request);
  // Executors the master granted so far.
  int executorsGranted() const { return granted_.load(); }
  // The first executor of this application that failed (or was lost), if one has.
  std::optional<FailedExecutor> firstFailedExecutor() const;
  // Unregisters (failed = the application ended with an error) and closes the link.
  void stop(bool failed);

 private:
  void handle(const rpc::Peer& from, rpc::Envelope&& msg);
  void keepRegistered();

  MasterAddress address_;
  rpc::Peer master_;
  Conf conf_;
  LostCallback on_lost_;
  rpc::Transport transport_;
  rpc::RegisterApplication registration_;
  std::atomic<int> granted_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::optional<FailedExecutor> first_failed_;  // guarded by mu_
  std::thread keeper_;
};

}  // namespace sluice
