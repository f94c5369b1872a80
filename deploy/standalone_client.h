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
#include <string>
#include <thread>

#include "common/conf.h"
#include "rpc/master_messages.h"
#include "rpc/transport.h"

namespace sluice {

class StandaloneClient {
 public:
  // on_executor_lost(executor_id, reason).
  using LostCallback = std::function<void(const std::string&, const std::string&)>;

  StandaloneClient(std::string master_url, std::string master_endpoint, const Conf& conf, LostCallback on_lost);
  ~StandaloneClient();

  // Registers; an unreachable master is a Timeout naming it. Returns the app id.
  StatusOr<std::string> registerApplication(rpc::RegisterApplication request);
  // The driver's web UI (http://host:port), sent to the master now and with every
  // re-registration. Thread-safe; a no-op before registerApplication() or after stop().
  void setAppUiUrl(const std::string& url);
  // Executors the master granted so far.
  int executorsGranted() const { return granted_.load(); }
  // Unregisters (failed = the application ended with an error) and closes the link.
  void stop(bool failed);

 private:
  void handle(const rpc::Peer& from, rpc::Envelope&& msg);
  void keepRegistered();

  std::string master_url_;
  rpc::Peer master_;
  Conf conf_;
  LostCallback on_lost_;
  rpc::Transport transport_;
  rpc::RegisterApplication registration_;  // guarded by mu_ once the keeper runs
  std::atomic<int> granted_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool resend_ = false;  // re-register now (the registration changed)
  std::thread keeper_;
};

}  // namespace sluice
