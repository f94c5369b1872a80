// AwaitedOutputs: the tasks of pre-scheduled stage attempts (scheduler.preScheduleReducers)
// that wait on this executor for the map outputs they read, and the outputs that came
// before their stage's binary. A stage attempt's tasks are held from their launch until a
// MapOutputsAvailable has come for every shuffle its binary lists in awaited_shuffles; then
// they run as any task, without a further launch by the driver (rpc/FORMAT.md).
//
// THREADING: none; the TaskRunner calls it under its lock.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "rpc/executor_messages.h"

namespace sluice {

class AwaitedOutputs {
 public:
  using Key = std::pair<int, int>;  // (stage id, attempt)
  using Outputs = std::map<int, std::vector<rpc::MapLocation>>;  // shuffle id -> map outputs

  // The stage attempt's binary arrived, awaiting these shuffles. Returns the outputs of
  // them that arrived before it: the caller puts them into the binary.
  Outputs stageArrived(Key key, const std::vector<int32_t>& awaited);
  // Holds the task when its stage attempt still awaits outputs; false when it may run.
  bool hold(rpc::LaunchTask& task);
  // One shuffle's outputs arrived. known: whether the stage's binary is here (the caller
  // then sets them into it; otherwise they are kept for stageArrived). Returns the tasks
  // that may run now, in launch order.
  std::vector<rpc::LaunchTask> outputsArrived(Key key, int shuffle_id, std::vector<rpc::MapLocation>& outputs,
                                              bool* known);
  // Removes a held task (it was killed); nothing when it is not held.
  std::optional<rpc::LaunchTask> remove(int64_t task_id);
  // Forgets the stage attempt (its held tasks too).
  void release(Key key);

 private:
  std::map<Key, std::set<int>> missing_;  // stage attempts whose binary came: shuffles still awaited
  std::map<Key, Outputs> early_;          // outputs that came before the binary
  std::map<Key, std::vector<rpc::LaunchTask>> held_;
};

}  // namespace sluice
