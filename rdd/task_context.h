// TaskContext: what a running task may ask of the executor that runs it. The executor
// implements it (executor/task_context_impl.h, for the tasks of executor/task_runner.h);
// RDD code only sees this interface.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rdd/function_ref.h"
#include "rdd/receiver_sink.h"

namespace sluice {

struct TaskMetrics {
  int64_t records_read = 0;
  int64_t records_written = 0;
  int64_t shuffle_bytes_written = 0;
  int64_t shuffle_bytes_read = 0;
  int64_t shuffle_remote_bytes_read = 0;
  int64_t run_nanos = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(records_read, records_written, shuffle_bytes_written, shuffle_bytes_read,
       shuffle_remote_bytes_read, run_nanos);
  }
};

// Thrown (inside a task only) when a shuffle block cannot be fetched; the task runner
// reports it as a FetchFailed reason so that the DAGScheduler recomputes the map output.
class FetchFailedError : public std::runtime_error {
 public:
  FetchFailedError(int shuffle_id, int map_id, std::string executor_id, const std::string& why)
      : std::runtime_error(why),
        shuffle_id(shuffle_id),
        map_id(map_id),
        executor_id(std::move(executor_id)) {}
  int shuffle_id;
  int map_id;
  std::string executor_id;
};

// Lifetime: valid for the duration of one task's run. Not thread-safe.
class TaskContext {
 public:
  virtual ~TaskContext() = default;
  virtual int stageId() const = 0;
  virtual int partitionId() const = 0;
  virtual int attemptNumber() const = 0;
  virtual const std::string& executorId() const = 0;

  // Cached partitions of persisted RDDs, held in this executor's BlockManager as typed
  // objects. get returns null when absent.
  virtual std::shared_ptr<const void> getCachedPartition(int rdd_id, int split) = 0;
  virtual void putCachedPartition(int rdd_id, int split, std::shared_ptr<const void> data,
                                  int64_t size_estimate) = 0;

  // Streams every map output block of (shuffle_id, reduce_id) to on_block, local ones read
  // from this executor and remote ones fetched. Throws FetchFailedError.
  virtual void readShuffle(int shuffle_id, int reduce_id,
                           FunctionRef<void(std::string_view)> on_block) = 0;
  // Stores this map task's output: one serialized bucket per reduce partition.
  virtual void writeShuffle(int shuffle_id, int map_id, std::vector<std::string> buckets) = 0;

  // Received stream blocks (streaming BlockRDD); empty optional-like null when missing.
  virtual std::shared_ptr<const std::string> getBlock(const std::string& block_id) = 0;
  // A received block held by another executor (its block server at endpoint); null when
  // that executor does not have it or cannot be reached.
  virtual std::shared_ptr<const std::string> fetchRemoteBlock(const std::string& /*endpoint*/,
                                                              const std::string& /*block_id*/) {
    return nullptr;
  }
  // Streaming receivers run inside a task: the sink through which the receiver of stream_id
  // stores its blocks. Registered with the executor's ReceiverHost (so that the driver can
  // stop it) for as long as the returned object lives. Null where receivers cannot run.
  virtual std::shared_ptr<ReceiverSink> openReceiver(int /*stream_id*/, int /*replication*/) { return nullptr; }

  TaskMetrics& metrics() { return metrics_; }

 private:
  TaskMetrics metrics_;
};

}  // namespace sluice
