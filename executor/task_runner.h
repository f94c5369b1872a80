// TaskRunner: runs an executor's tasks on a pool of `cores` task threads (Spark's
// Executor.TaskRunner with its thread pool): takes launched tasks in order, decodes their
// stage once (StageCache), runs each against an ExecutorTaskContext, measures it, and
// reports its end (FINISHED with its result, FAILED, FETCH_FAILED, KILLED) to the driver.
// A task killed while queued is dropped and reported KILLED at once; a running task cannot
// be interrupted, so its end is reported as KILLED, without a result.
//
// THREADING: launch(), kill(), mapOutputsAvailable(), releaseStage() and requestStop() run on the transport's I/O
// thread and never block on a task. Each task runs on one of the task threads started by
// start(); a receiver's task holds its thread until the receiver stops. stop() joins the
// task threads, so the tasks still running must end first (receivers: ReceiverHost::stopAll).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "executor/awaited_outputs.h"
#include "executor/driver_link.h"
#include "executor/stage_cache.h"
#include "executor/task_context_impl.h"
#include "rpc/executor_messages.h"

namespace sluice {

class TaskRunner {
 public:
  // services and driver must outlive the runner. Tasks launched before start() wait.
  TaskRunner(const TaskServices& services, DriverLink& driver);
  // Joins the task threads.
  ~TaskRunner();

  // Starts the task threads.
  void start(int cores);
  // Queues tasks in order; an executor's first task of a stage carries the stage's binary.
  // More tasks than threads may be queued (scheduler.pipelineDepth): each thread takes the
  // next one as soon as it is free.
  void launch(std::vector<rpc::LaunchTask> tasks);
  void kill(const rpc::KillTask& kill);
  // The map outputs a pre-scheduled stage attempt awaits: its held tasks are queued once
  // every awaited shuffle's outputs came (AwaitedOutputs).
  void mapOutputsAvailable(rpc::MapOutputsAvailable outputs);
  void releaseStage(int stage_id, int stage_attempt);

  // The task threads take no more tasks (queued ones stay unreported); returns at once.
  void requestStop();
  // requestStop(), then waits for the running tasks to end. Idempotent.
  void stop();

 private:
  void taskLoop();
  void runTask(const rpc::LaunchTask& task);

  const TaskServices& services_;
  DriverLink& driver_;
  StageCache stages_;

  std::mutex mu_;
  std::condition_variable cv_;  // queue_ or stopping_
  std::deque<rpc::LaunchTask> queue_;
  AwaitedOutputs awaited_;  // tasks held for their map outputs (pre-scheduled stages)
  std::set<int64_t> running_;  // task ids on the task threads
  std::set<int64_t> killed_;   // running tasks to report KILLED when they end
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sluice
