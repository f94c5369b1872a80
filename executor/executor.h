// Executor: runs an application's tasks on a pool of `cores` threads, keeps its blocks in a
// BlockManager, serves them to other executors, and reports every task's end to the
// driver. The same class runs inside sluice-executor processes and, in local mode, inside
// the driver process, so that local tests use the real task and shuffle paths.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/conf.h"
#include "common/status.h"
#include "executor/block_manager.h"
#include "streaming/receiver/receiver_sink_impl.h"
#include "rdd/node.h"
#include "rpc/executor_messages.h"
#include "rpc/transport.h"

namespace sluice {

struct ExecutorOptions {
  std::string executor_id;
  std::string driver_endpoint;   // tcp://host:port of the driver's executor backend
  std::string host = "127.0.0.1";  // binds the block server here
  int cores = 1;
  int64_t memory_bytes = int64_t{1} << 30;
  std::string work_dir;          // app cache and spill files
  bool in_process = false;       // local mode: the application is already loaded
};

class Executor {
 public:
  explicit Executor(ExecutorOptions options);
  // Stops the task threads and the transport.
  ~Executor();

  // Binds the block server, registers with the driver and loads the application. Blocks
  // until done; a driver that does not answer within its timeout is an error.
  Status start();
  // Returns when the driver says stop, the driver is lost, or stop() is called.
  void awaitTermination();
  void stop();

  const std::string& id() const { return options_.executor_id; }
  BlockManager& blocks() { return *blocks_; }

  // The sink of a receiver task; registered until the returned object is destroyed, so
  // that StopReceiver and stop() reach it. Tells the driver where the receiver runs.
  std::shared_ptr<ReceiverSink> openReceiver(int stream_id, int replication);
  // A received block from another executor's block server; null when it is not there.
  std::shared_ptr<const std::string> fetchRemoteBlock(const std::string& endpoint, const std::string& block_id);

 private:
  struct StageState;
  void handle(const rpc::Peer& from, rpc::Envelope&& msg);
  void serveFetchBlocks(const rpc::Peer& from, const rpc::Envelope& msg);
  void killTask(const rpc::KillTask& kill);
  void handleStreaming(const rpc::Peer& from, rpc::Envelope&& msg);
  void stopReceivers(const std::string& why, int stream_id = -1);
  Status fetchAndLoadApp(const rpc::RegisterExecutorReply& reply);
  void taskLoop();
  void runTask(rpc::LaunchTask task);
  StatusOr<std::shared_ptr<StageState>> stageFor(const rpc::LaunchTask& task);
  void heartbeatLoop();

  ExecutorOptions options_;
  rpc::Peer driver_;
  rpc::Transport transport_;
  std::unique_ptr<BlockManager> blocks_;
  std::string block_endpoint_;
  Conf conf_;

  std::mutex mu_;
  std::condition_variable cv_;       // stopping_
  std::condition_variable task_cv_;  // queue_ or stopping_
  std::deque<rpc::LaunchTask> queue_;
  std::set<int64_t> running_;  // task ids on the task threads
  std::set<int64_t> killed_;   // running tasks to report KILLED when they end
  std::map<std::pair<int, int>, std::shared_ptr<StageState>> stages_;
  std::map<std::pair<int, int>, rpc::StageBinary> stage_binaries_;  // received, not decoded yet
  std::map<int, std::weak_ptr<ReceiverSinkImpl>> receivers_;  // by stream id
  bool stopping_ = false;

  std::vector<std::thread> workers_;
  std::thread heartbeat_;
  friend class ExecutorTaskContext;

};

}  // namespace sluice
