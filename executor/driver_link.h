// DriverLink: an executor's side of the executor protocol with its driver
// (rpc/executor_messages.h): registration, the application's library, broadcast values,
// heartbeats, task status updates, and the driver's messages, decoded into DriverCommands.
//
// THREADING: registerWithDriver(), fetchApp() and fetchBroadcast() block the calling thread
// (never the transport's I/O thread) on the driver's answer. handle() runs on the I/O thread
// and calls DriverCommands there. reportStatus() may be called from any thread. The
// heartbeat thread, started by startHeartbeats() and joined by stop(), calls
// DriverCommands::driverLost() once when the driver stops answering, then ends.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/conf.h"
#include "common/status.h"
#include "rpc/executor_messages.h"
#include "rpc/transport.h"

namespace sluice {

// What the driver may ask of an executor. Called on the transport's I/O thread, so no
// command may block.
class DriverCommands {
 public:
  virtual ~DriverCommands() = default;
  // The tasks of one LaunchTasks (or a single LaunchTask), in the order sent.
  virtual void launchTasks(std::vector<rpc::LaunchTask> tasks) = 0;
  virtual void killTask(const rpc::KillTask& kill) = 0;
  // The map outputs a pre-scheduled stage attempt awaits (rpc::MapOutputsAvailable).
  virtual void mapOutputsAvailable(rpc::MapOutputsAvailable outputs) = 0;
  virtual void releaseStage(int stage_id, int stage_attempt) = 0;
  virtual void removeBlocks(const rpc::RemoveBlocks& remove) = 0;
  virtual void stopReceiver(int stream_id, const std::string& reason) = 0;
  // Backpressure's new bound for the receiver of stream_id (records per second).
  virtual void updateReceiverRateLimit(int stream_id, int64_t records_per_second) = 0;
  // The driver asked the executor to stop, or (driverLost) stopped answering heartbeats.
  virtual void stopExecutor(const std::string& reason) = 0;
  virtual void driverLost(const std::string& why) = 0;
};

class DriverLink {
 public:
  // transport and commands must outlive the link; the transport must be started before the
  // first call.
  DriverLink(rpc::Transport& transport, std::string driver_endpoint, std::string executor_id,
             DriverCommands& commands);
  // Joins the heartbeat thread.
  ~DriverLink();

  const rpc::Peer& driver() const { return driver_; }
  const std::string& endpoint() const { return driver_.id; }

  // Registers the executor (its block server at block_endpoint, its cores). A driver that
  // does not answer within 30 s is Unavailable; one that refuses is Aborted.
  StatusOr<rpc::RegisterExecutorReply> registerWithDriver(const std::string& host, const std::string& block_endpoint,
                                                          int cores);
  // Fetches the application's library named by the registration reply into <work_dir>/apps
  // (unless a file with its hash is there already), checks its hash, and loads it.
  Status fetchApp(const rpc::RegisterExecutorReply& reply, const std::string& work_dir);
  // Fetches the files the reply lists (sluice-submit --files) into work_dir, each as its base
  // name, where tasks open them. Errors name the file.
  Status fetchFiles(const rpc::RegisterExecutorReply& reply, const std::string& work_dir);
  // The bytes of broadcast variable id, from the driver; NotFound when it has none.
  StatusOr<std::string> fetchBroadcast(int64_t id);
  // Tells the driver that a task ended (fire-and-forget). Small statuses (result and error
  // under 64 KiB) wait in an outbox that the transport's I/O thread empties into one
  // TaskStatuses frame when it gets to it: ends that come while it is busy go together, and
  // none waits for another. Larger ones go alone, at once.
  void reportStatus(rpc::TaskStatus status);

  // Decodes msg when it is a message from the driver to an executor and returns true after
  // calling the matching command (a payload that does not decode is reported with
  // Transport::reportMalformed); false for any other message.
  bool handle(const rpc::Peer& from, const rpc::Envelope& msg);

  // Heartbeats every executor.heartbeatInterval of conf; once none has been answered for
  // executor.driverTimeout, calls commands.driverLost() and stops. conf must outlive the link.
  void startHeartbeats(const Conf& conf);
  // Ends the heartbeats without waiting; stop() also joins their thread. Idempotent.
  void requestStop();
  void stop();

 private:
  void heartbeatLoop(const Conf& conf);
  // The size bytes served under hash (FetchApp), in chunks; what names them in errors.
  StatusOr<std::string> fetchBytes(const std::string& hash, int64_t size, const std::string& what);
  // On the I/O thread: the outbox as one TaskStatuses frame.
  std::string takeStatusBatch();

  rpc::Transport& transport_;
  const rpc::Peer driver_;
  const std::string executor_id_;
  DriverCommands& commands_;

  std::mutex outbox_mu_;
  std::vector<rpc::TaskStatus> outbox_;  // small statuses not sent yet
  bool batch_posted_ = false;            // a takeStatusBatch() is queued on the transport

  std::mutex mu_;
  std::condition_variable cv_;  // stopping_
  bool stopping_ = false;
  std::thread heartbeat_;
};

}  // namespace sluice
