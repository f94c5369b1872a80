// ExecutorTaskContext: the TaskContext of a task that a TaskRunner runs: cached partitions
// and shuffle output go to the executor's BlockManager, shuffle input and other executors'
// received blocks come through its ShuffleClient, and a receiver's task opens its sink
// through the ReceiverHost.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rdd/task_context.h"
#include "rpc/executor_messages.h"

namespace sluice {

class BlockManager;
class ReceiverHost;
class ShuffleClient;

// What a task may use of the executor that runs it. Every referent outlives the tasks.
struct TaskServices {
  std::string executor_id;
  BlockManager* blocks = nullptr;     // never null
  ShuffleClient* shuffle = nullptr;   // never null
  ReceiverHost* receivers = nullptr;  // null when no receiver host is registered
};

class ExecutorTaskContext : public TaskContext {
 public:
  // services, stage and task must outlive the context.
  ExecutorTaskContext(const TaskServices& services, const rpc::StageBinary& stage, const rpc::LaunchTask& task)
      : services_(services), stage_(stage), task_(task) {}

  int stageId() const override { return task_.stage_id; }
  int partitionId() const override { return task_.partition; }
  int attemptNumber() const override { return task_.attempt; }
  const std::string& executorId() const override { return services_.executor_id; }

  std::shared_ptr<const void> getCachedPartition(int rdd_id, int split) override;
  void putCachedPartition(int rdd_id, int split, std::shared_ptr<const void> data, int64_t size) override;
  void readShuffle(int shuffle_id, int reduce_id, FunctionRef<void(std::string_view)> on_block) override;
  void writeShuffle(int shuffle_id, int map_id, std::vector<std::string> buckets) override;
  std::shared_ptr<const std::string> getBlock(const std::string& block_id) override;
  std::shared_ptr<const std::string> fetchRemoteBlock(const std::string& endpoint, const std::string& block_id) override;
  std::shared_ptr<ReceiverSink> openReceiver(int stream_id, int replication) override;

  // Partitions this task added to the cache, for the driver's block locations.
  std::vector<std::pair<int32_t, int32_t>> takeCachedPartitions() { return std::move(cached_); }

 private:
  const TaskServices& services_;
  const rpc::StageBinary& stage_;
  const rpc::LaunchTask& task_;
  std::vector<std::pair<int32_t, int32_t>> cached_;
};

}  // namespace sluice
