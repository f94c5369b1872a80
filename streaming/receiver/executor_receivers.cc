// ExecutorReceivers: the streaming room's ReceiverHost (executor/receiver_host.h), the
// receivers that run as long-running tasks on one executor. Opening a receiver registers
// it with the driver (RegisterReceiver, which answers with the executors that can hold
// replicas and where the stream left off) and makes its ReceiverSinkImpl, with the rate
// limit of streaming.receiver.maxRate (and backpressure.initialRate); the driver's
// StopReceiver and UpdateRateLimit and the executor's stop reach the sinks through here.
// Registered with every executor of this process when libsluice loads.
//
// THREADING: openReceiver() on the receiver's task thread (it waits for the driver's
// answer); stopReceiver() and updateRateLimit() on the executor's transport I/O thread,
// never blocking; stopAll() on either. The table of sinks is guarded by mu_; sinks are
// asked to stop outside it (a rate limit is set under it: that never blocks).
#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "executor/receiver_host.h"
#include "rpc/streaming_messages.h"
#include "streaming/receiver/receiver_sink_impl.h"
#include "wal/wal_options.h"

namespace sluice {
namespace {
using namespace std::chrono_literals;

class ExecutorReceivers : public ReceiverHost {
 public:
  explicit ExecutorReceivers(const ReceiverHostEnv& env) : env_(env) {}

  std::shared_ptr<ReceiverSink> openReceiver(int stream_id, int replication) override {
    ReceiverSinkOptions o;
    o.stream_id = stream_id;
    o.replication = replication;
    o.executor_id = env_.executor_id;
    o.host = env_.host;
    o.block_endpoint = env_.block_endpoint;
    o.block_interval = env_.conf.get(keys::kStreamingBlockInterval);
    if (o.block_interval < 1ms) o.block_interval = 1ms;
    o.max_rate = std::max<int64_t>(0, env_.conf.get(keys::kStreamingReceiverMaxRate));
    if (env_.conf.get(keys::kStreamingBackpressureEnabled)) {
      o.initial_rate = std::max<int64_t>(0, env_.conf.get(keys::kStreamingBackpressureInitialRate));
    }
    if (auto wal_options = wal::WalOptions::fromConf(env_.conf)) {
      o.wal_options = *wal_options;
    } else {
      spdlog::warn("receiver {}: {}; the receiver WAL uses the default options", stream_id,
                   wal_options.status().message());
    }
    // The driver answers with the executors that can hold replicas.
    auto answer =
        env_.transport.call(env_.driver, rpc::RegisterReceiver{stream_id, env_.executor_id, env_.host}, 30s);
    auto reply = answer ? rpc::decodeAs<rpc::RegisterReceiverReply>(*answer)
                        : StatusOr<rpc::RegisterReceiverReply>(answer.status());
    if (!reply) {
      spdlog::warn("receiver {}: registering with the driver failed: {}", stream_id, reply.status().message());
    } else {
      o.peers = std::move(reply->peers);
      o.resume_position = std::move(reply->resume_position);
    }
    auto sink = std::make_shared<ReceiverSinkImpl>(o, env_.blocks, env_.transport, env_.driver);
    std::string stopping;
    {
      std::lock_guard<std::mutex> lock(mu_);
      sinks_[stream_id] = sink;
      stopping = stopped_why_;
      // The driver sends the current bound right after registering: it may have come
      // before the sink was in the table.
      auto rate = rate_limits_.find(stream_id);
      if (rate != rate_limits_.end()) sink->updateRateLimit(rate->second);
    }
    if (!stopping.empty()) sink->requestStop(stopping);
    return sink;
  }

  void stopReceiver(int stream_id, const std::string& why) override { stop(why, stream_id); }

  void updateRateLimit(int stream_id, int64_t records_per_second) override {
    std::lock_guard<std::mutex> lock(mu_);
    rate_limits_[stream_id] = records_per_second;
    auto it = sinks_.find(stream_id);
    if (it == sinks_.end()) return;
    if (auto sink = it->second.lock()) sink->updateRateLimit(records_per_second);
  }

  void stopAll(const std::string& why) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_why_ = why.empty() ? "the executor is stopping" : why;
    }
    stop(why, -1);
  }

 private:
  // stream_id -1: every receiver.
  void stop(const std::string& why, int stream_id) {
    std::vector<std::shared_ptr<ReceiverSinkImpl>> sinks;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = sinks_.begin(); it != sinks_.end();) {
        auto sink = it->second.lock();
        if (!sink) {
          it = sinks_.erase(it);
          continue;
        }
        if (stream_id < 0 || it->first == stream_id) sinks.push_back(std::move(sink));
        ++it;
      }
    }
    for (auto& sink : sinks) sink->requestStop(why);
  }

  ReceiverHostEnv env_;
  std::mutex mu_;
  std::map<int, std::weak_ptr<ReceiverSinkImpl>> sinks_;  // by stream id, while their tasks run
  std::string stopped_why_;                               // set by stopAll()
  std::map<int, int64_t> rate_limits_;  // the driver's last UpdateRateLimit, by stream id
};

const bool kRegistered = [] {
  setReceiverHostFactory([](const ReceiverHostEnv& env) { return std::make_unique<ExecutorReceivers>(env); });
  return true;
}();

}  // namespace
}  // namespace sluice
