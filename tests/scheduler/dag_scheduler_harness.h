// The DAGScheduler driven through its TaskSubmitter seam: a fake task scheduler records
// the task sets it is given, and a test ends their tasks by hand (success, failure, fetch
// failure, a lost executor), so every stage failure sequence is exact and needs no
// executor. Shared by dag_scheduler_test.cc and fetch_failure_test.cc.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>

#include "rdd/rdd.h"
#include "scheduler/dag_scheduler.h"

namespace sluice::testing {

// Builds RDDs; jobs go through the DAGScheduler under test, never through runJob.
class LineageOnlyContext : public JobContext {
 public:
  int newRddId() override { return next_rdd_++; }
  int newShuffleId() override { return next_shuffle_++; }
  int defaultParallelism() const override { return 2; }
  std::vector<std::string> runJob(std::shared_ptr<RDDBase>, const std::vector<int>&) override {
    throw std::logic_error("not used: jobs go through the DAGScheduler under test");
  }
  int64_t newBroadcast(std::string, std::shared_ptr<const void>) override { return 0; }

  template <class T>
  RDD<T> parallelize(std::vector<std::vector<T>> slices) {
    return RDD<T>(this, std::make_shared<ParallelCollectionRDD<T>>(newRddId(), std::move(slices)));
  }

 private:
  std::atomic<int> next_rdd_{0};
  std::atomic<int> next_shuffle_{0};
};

// Thread-safe: the DAGScheduler calls it on its event loop, the test reads it.
class FakeTaskScheduler : public TaskSubmitter {
 public:
  void submitTasks(std::shared_ptr<const TaskSet> task_set) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      submitted_.push_back(std::move(task_set));
    }
    cv_.notify_all();
  }
  void cancelStage(int stage_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_.push_back(stage_id);
  }
  void mapOutputsAvailable(int stage_id, int stage_attempt, int shuffle_id,
                           std::vector<rpc::MapLocation> outputs) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      outputs_.push_back({stage_id, stage_attempt, shuffle_id, std::move(outputs)});
    }
    cv_.notify_all();
  }
  const CacheLocations& cacheLocations() const override { return cache_; }
  // The map outputs forwarded so far (pre-scheduled stages), in order; waits up to 10 s
  // for at least n.
  std::vector<rpc::MapOutputsAvailable> forwardedOutputs(size_t n = 0) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return outputs_.size() >= n; });
    return outputs_;
  }

  // The next task set submitted, or null when none comes within 10 s.
  std::shared_ptr<const TaskSet> next() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !submitted_.empty(); })) return nullptr;
    auto ts = submitted_.front();
    submitted_.pop_front();
    return ts;
  }
  // The stage ids cancelStage() was called with, in order.
  std::vector<int> cancelled() {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<const TaskSet>> submitted_;
  std::vector<int> cancelled_;
  std::vector<rpc::MapOutputsAvailable> outputs_;
  CacheLocations cache_;
};

// The end of the task set's task for partition, as the TaskScheduler reports it.
inline TaskEnd ended(const TaskSet& ts, int partition, rpc::TaskState state = rpc::TaskState::kFinished,
                     const std::string& executor = "e1") {
  TaskEnd e;
  e.stage_id = ts.stage_id;
  e.stage_attempt = ts.stage_attempt;
  e.partition = partition;
  e.state = state;
  e.executor_id = executor;
  e.executor_endpoint = "tcp://127.0.0.1:1";
  return e;
}

// A reduce task's FetchFailed: map output map_id of shuffle_id could not be read (from
// executor, when the reader knows it).
inline TaskEnd fetchFailed(const TaskSet& ts, int partition, int shuffle_id, int map_id,
                           const std::string& executor = "", const std::string& error = "connection refused") {
  TaskEnd e = ended(ts, partition, rpc::TaskState::kFetchFailed);
  e.fetch_shuffle_id = shuffle_id;
  e.fetch_map_id = map_id;
  e.fetch_executor_id = executor;
  e.error = error;
  return e;
}

inline void succeedAll(DAGScheduler& dag, const TaskSet& ts, const std::string& executor = "e1") {
  for (int p : ts.partitions) dag.taskEnded(ended(ts, p, rpc::TaskState::kFinished, executor));
}

// The attempt failed as a TaskSetManager fails it after task.maxFailures failures.
inline void failTaskSet(DAGScheduler& dag, const TaskSet& ts) {
  dag.taskSetFailed(ts.stage_id, ts.stage_attempt, "Task 0 in stage " + ts.name() + " failed 4 times: boom");
}

inline std::optional<JobResult> resultWithin(std::future<JobResult>& f,
                                             std::chrono::seconds deadline = std::chrono::seconds(10)) {
  if (f.wait_for(deadline) != std::future_status::ready) return std::nullopt;
  return f.get();
}

struct Scheduler {
  explicit Scheduler(Conf conf = Conf()) : dag(conf, tracker) {
    dag.setTaskScheduler(&tasks);
    dag.start();
  }
  MapOutputTracker tracker;
  FakeTaskScheduler tasks;
  DAGScheduler dag;
};

using KV = std::pair<int, int>;
inline constexpr auto plus = [](int a, int b) { return a + b; };

// The id of the shuffle an RDD made by reduceByKey reads.
template <class T>
int shuffleIdOf(const RDD<T>& shuffled) {
  return shuffled.node()->dependencies().front().shuffle->shuffleId();
}

}  // namespace sluice::testing
