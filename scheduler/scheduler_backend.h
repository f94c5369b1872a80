// SchedulerBackend: how the TaskScheduler reaches executors (Spark's SchedulerBackend).
// The driver's CoarseGrainedSchedulerBackend (driver/) implements it over ZeroMQ.
#pragma once

#include <string>
#include <vector>

#include "scheduler/listener.h"
#include "scheduler/task_set.h"

namespace sluice {

class SchedulerBackend {
 public:
  virtual ~SchedulerBackend() = default;
  // Sends the task; the stage binary goes along on the executor's first task of the stage.
  // Called with the TaskScheduler's lock held: must not block.
  virtual void launchTask(const std::string& executor_id, const TaskDescription& task) = 0;
  // The tasks one offer round placed on the executor, in order: a backend that can sends
  // them as one message. Same contract as launchTask().
  virtual void launchTasks(const std::string& executor_id, const std::vector<TaskDescription>& tasks) {
    for (const TaskDescription& task : tasks) launchTask(executor_id, task);
  }
  // The stage attempt has no more tasks to run: executors may drop its binary.
  virtual void releaseStage(int stage_id, int stage_attempt) = 0;
  // Stops a running, queued or held task (its speculative copy won, its pre-scheduled
  // stage was withdrawn); the executor reports it KILLED. Called with the TaskScheduler's
  // lock held: must not block.
  virtual void killTask(const std::string& /*executor_id*/, int64_t /*task_id*/, const std::string& /*reason*/) {}
  // The map outputs a pre-scheduled stage attempt's tasks on the executor await; sent in
  // order with the launches. Same contract as launchTask().
  virtual void sendMapOutputs(const std::string& /*executor_id*/, const rpc::MapOutputsAvailable& /*outputs*/) {}
};

// What the TaskScheduler reports upward (the DAGScheduler implements it).
class TaskSchedulerListener {
 public:
  virtual ~TaskSchedulerListener() = default;
  virtual void taskEnded(TaskEnd end) = 0;
  virtual void taskSetFailed(int stage_id, int stage_attempt, std::string reason) = 0;
  virtual void executorLost(const std::string& executor_id, const std::string& reason) = 0;
  // An executor registered (after its cores are offered).
  virtual void executorAdded(const ExecutorAdded& /*executor*/) {}
};

}  // namespace sluice
