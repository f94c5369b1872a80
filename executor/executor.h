// Executor: one executor of an application, assembled from its parts: a DriverLink
// (registration, heartbeats, task status, the driver's messages), a TaskRunner (the pool of
// `cores` task threads), a BlockManager with its BlockServer (serving blocks to the other
// executors) and ShuffleClient (fetching from theirs), and the ReceiverHost that the
// streaming room registers (executor/receiver_host.h). The same class runs inside
// sluice-executor processes and, in local mode, inside the driver process, so that local
// tests use the real task and shuffle paths.
//
// THREADING: start(), awaitTermination() and stop() from the owning thread. The parts run
// on the transport's I/O thread (the driver's messages, block requests), the task threads
// and the heartbeat thread, as their headers say.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "common/conf.h"
#include "common/status.h"
#include "executor/block_manager.h"
#include "executor/block_server.h"
#include "executor/driver_link.h"
#include "executor/receiver_host.h"
#include "executor/shuffle_client.h"
#include "executor/task_context_impl.h"
#include "executor/task_runner.h"
#include "rpc/transport.h"
#include "rpc/transport_options.h"

namespace sluice {

struct ExecutorOptions {
  std::string executor_id;
  std::string driver_endpoint;   // tcp://host:port of the driver's executor backend
  std::string host = "127.0.0.1";  // binds the block server here
  int cores = 1;
  int64_t memory_bytes = int64_t{1} << 30;
  std::string work_dir;          // app cache and spill files
  bool in_process = false;       // local mode: the application is already loaded
  // The frame limit until the application's own applies, and with auth.enabled the
  // cluster's keys (rpc/transport_options.h).
  rpc::TransportOptions transport;
};

class Executor : private DriverCommands {
 public:
  explicit Executor(ExecutorOptions options);
  // Stops the task threads and the transport.
  ~Executor() override;

  // Binds the block server, registers with the driver and loads the application. Blocks
  // until done; a driver that does not answer within its timeout is an error.
  Status start();
  // Returns when the driver says stop, the driver is lost, or stop() is called.
  void awaitTermination();
  // Stops the receivers, then waits for the running tasks to end. Idempotent.
  void stop();

  const std::string& id() const { return options_.executor_id; }
  BlockManager& blocks() { return blocks_; }

 private:
  // DriverCommands, on the transport's I/O thread (driverLost: on the heartbeat thread).
  void launchTasks(std::vector<rpc::LaunchTask> tasks) override { runner_.launch(std::move(tasks)); }
  void killTask(const rpc::KillTask& kill) override { runner_.kill(kill); }
  void mapOutputsAvailable(rpc::MapOutputsAvailable outputs) override {
    runner_.mapOutputsAvailable(std::move(outputs));
  }
  void releaseStage(int stage_id, int stage_attempt) override { runner_.releaseStage(stage_id, stage_attempt); }
  void removeBlocks(const rpc::RemoveBlocks& remove) override;
  void stopReceiver(int stream_id, const std::string& reason) override;
  void updateReceiverRateLimit(int stream_id, int64_t records_per_second) override;
  void stopExecutor(const std::string& reason) override;
  void driverLost(const std::string& why) override;

  void handle(const rpc::Peer& from, rpc::Envelope&& msg);
  // Ends the executor's work without waiting: receivers, task threads, heartbeats.
  void requestStop();

  ExecutorOptions options_;
  Conf conf_;  // the application's, from the driver's registration reply
  rpc::Transport transport_;
  BlockManager blocks_;
  BlockServer block_server_;
  ShuffleClient shuffle_;
  DriverLink driver_;
  std::unique_ptr<ReceiverHost> receivers_;  // made in start() before the transport starts; null when
                                             // no room registered a receiver host
  TaskServices services_;
  TaskRunner runner_;

  std::mutex mu_;
  std::condition_variable cv_;  // stopping_
  bool stopping_ = false;
};

}  // namespace sluice
