// MasterLink: the worker's side of the standalone cluster protocol with the master
// (rpc/master_messages.h): RegisterWorker until accepted, WorkerHeartbeat every
// heartbeat_ms, registering again on ReconnectWorker / MasterChanged, and a kPing every few
// seconds to notice (and log) a master that has gone away.
//
// Registration: a RegisterWorker call that gets no reply within the retry interval is
// abandoned, the DEALER to the master is closed (dropping the unsent request, so that a
// master coming up later does not see a pile of stale registrations and refuse all but the
// first as duplicates), and the request is sent again. A refusal (ok=false) is fatal.
// ReconnectWorker messages that arrive while a registration is under way are ignored: a
// restarted master answers every queued heartbeat with one.
//
// THREADING: the link's state machine runs on its own event-loop thread; every public
// method is thread-safe and none blocks on the network.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/status.h"
#include "rpc/master_messages.h"
#include "rpc/transport.h"

namespace sluice::worker {

// "sluice://host:port" (port defaults to 7077) -> "tcp://host:port"; anything else is an
// InvalidArgument naming the expected form.
StatusOr<std::string> masterEndpointOf(const std::string& master_url);

struct MasterLinkOptions {
  std::string master_url;  // sluice://host:port
  rpc::RegisterWorker registration;  // executor_keys, executor_cores and driver_ids are filled per attempt
  std::chrono::milliseconds retry_interval{1000};
  std::chrono::milliseconds ping_interval{3000};
};

class MasterLink {
 public:
  // Adds the executors and drivers running now to a registration (called on the link's thread).
  using RunningFn = std::function<void(rpc::RegisterWorker* registration)>;
  // The master refused the worker; called once, on the link's thread.
  using FatalFn = std::function<void(const Status&)>;

  // transport must be started before start() and outlive the link. options.master_url must
  // be valid (see masterEndpointOf).
  MasterLink(rpc::Transport& transport, MasterLinkOptions options, RunningFn running, FatalFn fatal);
  ~MasterLink();

  void start();
  // Stops heartbeats and retries. Idempotent.
  void stop();

  // ReconnectWorker: the master does not know us; register again (unless already doing so).
  void reconnect(const std::string& master_url);
  // MasterChanged: a master at master_url took over; switch to it and register again.
  void masterChanged(const std::string& master_url);

  rpc::Peer master() const;
  std::string masterUrl() const;
  bool registered() const;

 private:
  using Task = std::function<void()>;
  void registerNow(const std::string& why);
  void sendRegistration(uint64_t generation);
  void onRegisterReply(uint64_t generation, StatusOr<rpc::Envelope> answer);
  void heartbeat(uint64_t generation);
  void ping();
  void onPingReply(StatusOr<rpc::Envelope> answer);

  rpc::Transport& transport_;
  MasterLinkOptions options_;
  RunningFn running_;
  FatalFn fatal_;
  EventLoop<Task> loop_;

  // Loop-thread state.
  uint64_t generation_ = 0;  // bumped by every (re)registration; stale timers and replies see a newer one
  bool registering_ = false;
  int attempts_ = 0;
  std::chrono::steady_clock::time_point registering_since_;
  std::chrono::milliseconds heartbeat_interval_{1000};
  std::chrono::steady_clock::time_point last_answer_;
  bool unreachable_ = false;
  bool failed_ = false;

  // Shared with other threads.
  mutable std::mutex mu_;
  std::string master_url_;
  std::string master_endpoint_;
  bool registered_ = false;
  bool stopped_ = false;
};

}  // namespace sluice::worker
