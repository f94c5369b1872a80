// Messages between a driver and its executors, and between executors (block fetches).
// The flow is described in rpc/FORMAT.md ("Executor protocol").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/conf.h"
#include "rdd/task_context.h"
#include "rpc/message_tag.h"

namespace sluice::rpc {

struct RegisterExecutor {
  static constexpr MessageTag kTag = MessageTag::kRegisterExecutor;
  std::string executor_id;
  std::string host;
  std::string block_endpoint;  // the executor's ROUTER, for block fetches
  int32_t cores = 1;
  int32_t pid = 0;
  template <class A> void serialize(A& ar) { ar(executor_id, host, block_endpoint, cores, pid); }
};

// A file of sluice-submit --files (key `files`): an executor fetches it with FetchApp by its
// hash into its work dir, as <name>.
struct ShippedFile {
  std::string name;  // the base name tasks open it by
  std::string hash;  // XXH3-128 of the contents, hex (describeAppFile)
  int64_t size = 0;
  template <class A> void serialize(A& ar) { ar(name, hash, size); }
};

struct RegisterExecutorReply {
  static constexpr MessageTag kTag = MessageTag::kRegisterExecutorReply;
  bool ok = false;
  std::string error;
  std::string app_id;
  std::string app_hash;  // empty: the application is already loaded in this process
  int64_t app_size = 0;
  Conf conf;
  std::vector<ShippedFile> files;
  template <class A> void serialize(A& ar) { ar(ok, error, app_id, app_hash, app_size, conf, files); }
};

// The bytes of the application, or of a shipped file, by content hash.
struct FetchApp {
  static constexpr MessageTag kTag = MessageTag::kFetchApp;
  std::string app_hash;
  int64_t offset = 0;
  int64_t length = 0;
  template <class A> void serialize(A& ar) { ar(app_hash, offset, length); }
};

struct FetchAppReply {
  static constexpr MessageTag kTag = MessageTag::kFetchAppReply;
  std::string error;  // empty on success
  std::string bytes;
  template <class A> void serialize(A& ar) { ar(error, bytes); }
};

// Where one map task's output lives.
struct MapLocation {
  int32_t map_id = 0;
  std::string executor_id;
  std::string endpoint;
  template <class A> void serialize(A& ar) { ar(map_id, executor_id, endpoint); }
};

// What every task of a stage attempt shares: sent with an executor's first task of it.
struct StageBinary {
  std::string lineage;  // encodeLineage({root}); root is a ShuffleDependency or an RDD
  bool is_map_stage = false;
  std::map<int32_t, std::vector<MapLocation>> shuffle_inputs;  // shuffle id -> map outputs
  // A pre-scheduled stage (scheduler.preScheduleReducers): the shuffles whose map outputs
  // were not known at launch. Its tasks wait on the executor until a MapOutputsAvailable
  // for each of them arrives; empty for every other stage.
  std::vector<int32_t> awaited_shuffles;
  template <class A> void serialize(A& ar) { ar(lineage, is_map_stage, shuffle_inputs, awaited_shuffles); }
};

struct LaunchTask {
  static constexpr MessageTag kTag = MessageTag::kLaunchTask;
  int64_t task_id = 0;
  int32_t stage_id = 0;
  int32_t stage_attempt = 0;
  int32_t partition = 0;
  int32_t attempt = 0;
  std::optional<StageBinary> stage;  // absent when this executor has it already
  template <class A> void serialize(A& ar) { ar(task_id, stage_id, stage_attempt, partition, attempt, stage); }
};

enum class TaskState : uint8_t { kFinished = 0, kFailed = 1, kFetchFailed = 2, kKilled = 3 };

struct TaskStatus {
  static constexpr MessageTag kTag = MessageTag::kTaskStatus;
  int64_t task_id = 0;
  std::string executor_id;
  TaskState state = TaskState::kFinished;
  std::string result;  // result tasks: the partition's bytes
  std::string error;   // failed: the exception text
  int32_t fetch_shuffle_id = -1;
  int32_t fetch_map_id = -1;
  std::string fetch_executor_id;
  TaskMetrics metrics;
  std::vector<std::pair<int32_t, int32_t>> cached_partitions;  // (rdd id, split) now held here
  template <class A> void serialize(A& ar) {
    ar(task_id, executor_id, state, result, error, fetch_shuffle_id, fetch_map_id, fetch_executor_id,
       metrics, cached_partitions);
  }
};

// The tasks one offer round placed on one executor, in one frame (rpc/FORMAT.md, "Task
// launch and status"): each carries its stage's binary when it is the executor's first task
// of that stage attempt. The executor queues them in order.
struct LaunchTasks {
  static constexpr MessageTag kTag = MessageTag::kLaunchTasks;
  std::vector<LaunchTask> tasks;
  template <class A> void serialize(A& ar) { ar(tasks); }
};

// Task ends an executor reports together: those that were waiting when its I/O thread sent
// the previous batch (no end waits for another). The driver handles them in order.
struct TaskStatuses {
  static constexpr MessageTag kTag = MessageTag::kTaskStatuses;
  std::vector<TaskStatus> statuses;
  template <class A> void serialize(A& ar) { ar(statuses); }
};

// The map outputs of one shuffle that a pre-scheduled stage attempt awaits (rpc/FORMAT.md,
// "Task launch and status"): the driver sends it when the map stage has finished, to every
// executor it launched tasks of the stage attempt on, and before the first launch on an
// executor that gets its first task of it later. It may arrive before the stage's binary.
struct MapOutputsAvailable {
  static constexpr MessageTag kTag = MessageTag::kMapOutputsAvailable;
  int32_t stage_id = 0;  // the stage attempt that awaits them
  int32_t stage_attempt = 0;
  int32_t shuffle_id = 0;
  std::vector<MapLocation> outputs;
  template <class A> void serialize(A& ar) { ar(stage_id, stage_attempt, shuffle_id, outputs); }
};

struct ExecutorHeartbeat {
  static constexpr MessageTag kTag = MessageTag::kExecutorHeartbeat;
  std::string executor_id;
  template <class A> void serialize(A& ar) { ar(executor_id); }
};

struct StopExecutor {
  static constexpr MessageTag kTag = MessageTag::kStopExecutor;
  std::string reason;
  template <class A> void serialize(A& ar) { ar(reason); }
};

struct ReleaseStage {
  static constexpr MessageTag kTag = MessageTag::kReleaseStage;
  int32_t stage_id = 0;
  int32_t stage_attempt = 0;
  template <class A> void serialize(A& ar) { ar(stage_id, stage_attempt); }
};

// Stops a task (another copy of it succeeded). A queued task is dropped, a running one is
// left to end; either way the executor reports it KILLED.
struct KillTask {
  static constexpr MessageTag kTag = MessageTag::kKillTask;
  int64_t task_id = 0;
  std::string reason;
  template <class A> void serialize(A& ar) { ar(task_id, reason); }
};

struct FetchBroadcast {
  static constexpr MessageTag kTag = MessageTag::kFetchBroadcast;
  int64_t id = 0;
  template <class A> void serialize(A& ar) { ar(id); }
};

struct FetchBroadcastReply {
  static constexpr MessageTag kTag = MessageTag::kFetchBroadcastReply;
  bool found = false;
  std::string bytes;
  template <class A> void serialize(A& ar) { ar(found, bytes); }
};

// Asks an executor for its buckets reduce_id of the given map outputs of shuffle_id.
struct FetchBlocks {
  static constexpr MessageTag kTag = MessageTag::kFetchBlocks;
  int32_t shuffle_id = 0;
  int32_t reduce_id = 0;
  std::vector<int32_t> map_ids;
  template <class A> void serialize(A& ar) { ar(shuffle_id, reduce_id, map_ids); }
};

struct FetchBlocksReply {
  static constexpr MessageTag kTag = MessageTag::kFetchBlocksReply;
  std::string error;              // empty on success
  int32_t missing_map_id = -1;    // set when a map output is not here
  std::vector<std::string> blocks;  // in the order of map_ids
  template <class A> void serialize(A& ar) { ar(error, missing_map_id, blocks); }
};

// Removes every shuffle output of the listed shuffles (in memory and spilled), the cached
// partitions of the listed RDDs, the listed received blocks and the listed broadcasts'
// decoded values (the driver's ContextCleaner).
struct RemoveBlocks {
  static constexpr MessageTag kTag = MessageTag::kRemoveBlocks;
  std::vector<int32_t> shuffle_ids;
  std::vector<int32_t> rdd_ids;
  std::vector<std::string> block_ids;
  std::vector<int64_t> broadcast_ids;
  template <class A> void serialize(A& ar) { ar(shuffle_ids, rdd_ids, block_ids, broadcast_ids); }
};

}  // namespace sluice::rpc
