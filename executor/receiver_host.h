// ReceiverHost: the executor's hook for streaming receivers. A receiver runs on an executor
// as a long-running task (its ReceiverRDD's one partition, which ends only when the
// receiver stops); the executor itself knows nothing of receivers beyond this interface.
// The streaming room implements it (streaming/receiver/executor_receivers.cc: the sinks
// through which receivers store blocks, as Spark's ReceiverSupervisor) and registers a
// factory with setReceiverHostFactory() when libsluice loads; each Executor makes its host
// from that factory once it is registered with its driver. Without a registered factory,
// receivers cannot run (TaskContext::openReceiver returns null).
//
// THREADING: openReceiver() runs on a task thread (the receiver's task) and may block on
// the driver; stopReceiver() and updateRateLimit() run on the transport's I/O thread (the
// driver's StopReceiver, UpdateRateLimit) and must not block; stopAll() runs on the I/O
// thread (StopExecutor) or in Executor::stop(). Implementations are thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/conf.h"
#include "executor/block_manager.h"
#include "rdd/receiver_sink.h"
#include "rpc/transport.h"

namespace sluice {

class ReceiverHost {
 public:
  virtual ~ReceiverHost() = default;

  // Starts the receiver of stream_id in the calling task: returns the sink it stores its
  // blocks through, registered with the host (so that stopReceiver and stopAll reach it)
  // until the returned object is destroyed. replication: copies of each block, this
  // executor's included. After stopAll(), the sink is already asked to stop.
  virtual std::shared_ptr<ReceiverSink> openReceiver(int stream_id, int replication) = 0;
  // Asks the receivers of stream_id to stop (the driver's StopReceiver); returns at once,
  // their tasks end when the receivers do.
  virtual void stopReceiver(int stream_id, const std::string& why) = 0;
  // Sets the rate limit of the receiver of stream_id (the driver's UpdateRateLimit, from
  // backpressure), also when its sink opens later; returns at once.
  virtual void updateRateLimit(int stream_id, int64_t records_per_second) = 0;
  // Asks every receiver to stop, now and whenever one is opened later: the executor stops.
  virtual void stopAll(const std::string& why) = 0;
};

// What a receiver host may use of its executor. Every referent outlives the host.
struct ReceiverHostEnv {
  std::string executor_id;
  std::string host;            // the executor's address
  std::string block_endpoint;  // its block server, where other executors fetch the blocks
  const Conf& conf;            // the application's configuration, from the driver
  BlockManager& blocks;
  rpc::Transport& transport;   // for calls to the driver and to other executors' block servers
  rpc::Peer driver;
};

using ReceiverHostFactory = std::function<std::unique_ptr<ReceiverHost>(const ReceiverHostEnv&)>;

// Process-wide. Called once, during static initialization, by the room that implements
// receivers; a later call replaces the factory (for executors started afterwards).
void setReceiverHostFactory(ReceiverHostFactory factory);
// The registered factory; empty when none is.
ReceiverHostFactory receiverHostFactory();

}  // namespace sluice
