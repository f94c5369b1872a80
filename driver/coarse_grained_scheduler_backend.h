// CoarseGrainedSchedulerBackend: the driver's scheduler backend, named as in Spark, and the
// driver's end of the executor protocol. Executors connect to its ROUTER, register, heartbeat,
// fetch the application and broadcasts, and report task status; it launches tasks on them
// and declares an executor lost when its heartbeats stop or its process exits.
//
// THREADING: messages are handled on the transport's I/O thread; launchTask() and
// releaseStage() are thread-safe and never block.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/conf.h"
#include "driver/shipped_files.h"
#include "rpc/executor_messages.h"
#include "rpc/streaming_messages.h"
#include "rpc/transport.h"
#include "scheduler/scheduler_backend.h"
#include "scheduler/task_scheduler.h"

namespace sluice {

// The application as this backend serves it to executors (FetchApp), by content hash.
struct ServedApp {
  std::string app_id;
  std::string path;  // the application library; "" when running in-process only
  std::string hash;
  int64_t size = 0;
  std::vector<ServedFile> files;  // sluice-submit --files, fetched by hash the same way
};

class CoarseGrainedSchedulerBackend : public SchedulerBackend {
 public:
  CoarseGrainedSchedulerBackend(const Conf& conf, ServedApp app);
  ~CoarseGrainedSchedulerBackend() override;

  // Binds tcp://<host>:<port> (port 0 picks one); returns the endpoint executors dial.
  StatusOr<std::string> start(const std::string& host, int port, TaskScheduler* scheduler);
  // Tells every executor to stop, then closes the transport.
  void stop();

  void launchTask(const std::string& executor_id, const TaskDescription& task) override;
  // One LaunchTasks frame for all of them.
  void launchTasks(const std::string& executor_id, const std::vector<TaskDescription>& tasks) override;
  void releaseStage(int stage_id, int stage_attempt) override;
  void killTask(const std::string& executor_id, int64_t task_id, const std::string& reason) override;
  void sendMapOutputs(const std::string& executor_id, const rpc::MapOutputsAvailable& outputs) override;

  void addBroadcast(int64_t id, std::string bytes);
  // Executors can no longer fetch the broadcast. Unknown ids are ignored.
  void removeBroadcast(int64_t id);
  // Called when an executor's process is known to be gone.
  void executorExited(const std::string& executor_id, const std::string& reason);
  // Waits until at least n executors registered; false on timeout.
  bool waitForExecutors(int n, std::chrono::milliseconds timeout);
  // Executor ids whose registration was refused or lost, for the UI.
  int registeredExecutors() const;

  // Messages of kinds this backend does not handle itself (the streaming receiver
  // protocol) go to the handler registered for their kind, decoded, on the transport's I/O
  // thread; a payload that does not decode is reported (Transport::reportMalformed) and
  // dropped, and a kind without a handler is logged and dropped. The handler answers a
  // call with reply(from, request, ...). Thread-safe. InvalidArgument if M's kind has a
  // handler already (this backend's own kinds included); unregisterHandler<M>() frees it.
  // After unregisterHandler() returns, a call that started before may still be running.
  template <class M>
  using Handler = std::function<void(const rpc::Peer& from, const rpc::Envelope& request, M&& msg)>;
  template <class M>
  Status registerHandler(Handler<M> handler) {
    return addHandler(M::kTag, [this, handler = std::move(handler)](const rpc::Peer& from, rpc::Envelope&& msg) {
      auto decoded = rpc::decodeAs<M>(msg);
      if (decoded) {
        handler(from, msg, std::move(*decoded));
      } else {
        transport_.reportMalformed(from, decoded.status().message());
      }
    });
  }
  template <class M>
  void unregisterHandler() {
    removeHandler(M::kTag);
  }
  // The registered executors, as receivers' replication peers. Thread-safe.
  std::vector<rpc::ReceiverPeer> executors() const;
  // Sends msg to every registered executor. Thread-safe, never blocks.
  template <class M>
  void sendToAll(const M& msg) {
    for (const rpc::Peer& peer : executorPeers()) transport_.send(peer, msg);
  }
  // Sends msg to the executor executor_id; false (nothing sent) when it is not registered.
  // Thread-safe, never blocks.
  template <class M>
  bool sendTo(const std::string& executor_id, const M& msg) {
    auto peer = executorPeer(executor_id);
    if (!peer) return false;
    transport_.send(*peer, msg);
    return true;
  }
  template <class M>
  void reply(const rpc::Peer& to, const rpc::Envelope& request, const M& msg) {
    transport_.reply(to, request, msg);
  }

 private:
  struct ExecutorEntry {
    rpc::Peer peer;
    std::string host;
    std::string block_endpoint;
    std::set<std::pair<int, int>> stages;  // stage binaries it holds
    std::chrono::steady_clock::time_point last_heartbeat;
  };
  using RawHandler = std::function<void(const rpc::Peer& from, rpc::Envelope&& msg)>;
  Status addHandler(rpc::MessageTag tag, RawHandler handler);
  void removeHandler(rpc::MessageTag tag);
  void handle(const rpc::Peer& from, rpc::Envelope&& msg);
  void onRegister(const rpc::Peer& from, const rpc::Envelope& msg);
  void onFetchApp(const rpc::Peer& from, const rpc::Envelope& msg);
  // The file served under hash (the application's or a shipped file's); "" if none.
  std::string servedPath(const std::string& hash) const;
  void onFetchBroadcast(const rpc::Peer& from, const rpc::Envelope& msg);
  void monitorHeartbeats();
  void removeExecutor(const std::string& executor_id, const std::string& reason);
  std::vector<rpc::Peer> executorPeers() const;
  std::optional<rpc::Peer> executorPeer(const std::string& executor_id) const;

  Conf conf_;
  ServedApp app_;
  rpc::Transport transport_;
  TaskScheduler* scheduler_ = nullptr;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, ExecutorEntry> executors_;
  std::set<std::string> lost_;
  std::map<int64_t, std::string> broadcasts_;
  std::map<rpc::MessageTag, RawHandler> handlers_;  // registerHandler()
  bool stopping_ = false;
  std::thread monitor_;
};

}  // namespace sluice
