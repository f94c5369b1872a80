// A SchedulerBackend and a TaskSchedulerListener that record what the TaskScheduler does,
// for unit tests that drive it with a manual clock.
#pragma once

#include <string>
#include <vector>

#include "scheduler/task_scheduler.h"

namespace sluice::testing {

struct Launch {
  std::string executor_id;
  TaskDescription task;
};

struct RecordingBackend : SchedulerBackend {
  void launchTask(const std::string& executor_id, const TaskDescription& task) override {
    launches.push_back({executor_id, task});
  }
  // Records each task, and the batch as one entry of batches (executor, its size).
  void launchTasks(const std::string& executor_id, const std::vector<TaskDescription>& tasks) override {
    for (const auto& t : tasks) launchTask(executor_id, t);
    batches.emplace_back(executor_id, tasks.size());
    log.push_back("launch " + executor_id);
  }
  void releaseStage(int, int) override {}
  void killTask(const std::string& executor_id, int64_t task_id, const std::string&) override {
    kills.push_back({task_id, executor_id});
  }
  void sendMapOutputs(const std::string& executor_id, const rpc::MapOutputsAvailable& outputs) override {
    map_outputs.emplace_back(executor_id, outputs);
    log.push_back("outputs " + executor_id);
  }
  std::vector<Launch> launches;
  std::vector<std::pair<std::string, rpc::MapOutputsAvailable>> map_outputs;  // in the order sent
  std::vector<std::pair<std::string, size_t>> batches;
  std::vector<KillOrder> kills;
  std::vector<std::string> log;  // "launch <executor>" per batch, "outputs <executor>", in order
};

struct RecordingListener : TaskSchedulerListener {
  void taskEnded(TaskEnd end) override { ends.push_back(std::move(end)); }
  void taskSetFailed(int, int, std::string reason) override { failures.push_back(std::move(reason)); }
  void executorLost(const std::string&, const std::string&) override {}
  std::vector<TaskEnd> ends;
  std::vector<std::string> failures;
};

inline rpc::TaskStatus status(const Launch& l, rpc::TaskState state = rpc::TaskState::kFinished) {
  rpc::TaskStatus s;
  s.task_id = l.task.task_id;
  s.executor_id = l.executor_id;
  s.state = state;
  s.error = state == rpc::TaskState::kFinished ? "" : "boom";
  return s;
}

}  // namespace sluice::testing
