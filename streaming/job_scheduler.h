// JobScheduler: runs each batch's jobs (one per output operation) on
// `streaming.concurrentJobs` threads (default 1, so batches run one after another, in
// order), measures every batch, logs one line per batch and tells the listeners. It
// watches the load (OverloadDetector): a WARN line when batches fall behind the interval,
// and, after a stop that did not drain, the batches that were generated but not run.
//
// THREADING: all public methods are thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "streaming/batch_hooks.h"
#include "streaming/dstream/dstream_graph.h"
#include "streaming/overload_detector.h"
#include "streaming/streaming_listener.h"

namespace sluice {

class JobScheduler {
 public:
  // Every job runs through hooks.runJob(); hooks.jobFailed() hears of each failed one and
  // hooks.batchCompleted(t) runs once batch t completed (the graph forgets old RDDs
  // there). clock and hooks must outlive this object.
  JobScheduler(Clock& clock, int concurrent_jobs, Duration interval, BatchHooks& hooks);
  ~JobScheduler();

  void start();
  // Stops taking queued jobs (with drain, runs every queued batch first) and waits up to
  // timeout for the running ones. Returns whether they all ended (the threads are joined
  // then); false leaves them running: cancel their jobs and call stop() again. A later
  // call without drain ends a drain. Once it returned true, droppedBatches() lists the
  // batches it left unprocessed.
  bool stop(bool drain, std::chrono::milliseconds timeout = std::chrono::milliseconds::max());
  // After stop() returned true: the generated batches whose jobs did not all run, oldest
  // first (empty after a drain that finished).
  std::vector<Time> droppedBatches() const;

  // Queues the jobs of batch t, which covered interval_ms (0 when not known).
  void submit(Time t, int64_t interval_ms, std::vector<StreamingJob> jobs, std::map<int, int64_t> records_per_stream);
  void addListener(StreamingListener* listener);
  // Counts one task of job job_id of batch t that ran at the given locality level.
  void addTaskLocality(Time t, int job_id, const std::string& level);
  // Records (or updates) one job of batch t, for its batch page; a batch that completed
  // already is updated among the retained ones.
  void recordJob(Time t, const BatchJobInfo& job);

  // Blocks until batch t completed (true) or timeout (false).
  bool waitForBatch(Time t, std::chrono::milliseconds timeout);
  std::vector<BatchInfo> completedBatches() const;  // the last 1,000, oldest first
  std::vector<BatchInfo> activeBatches() const;     // queued or running
  int64_t numQueuedBatches() const;                 // generated, no job started yet
  OverloadState overload() const;
  int64_t numCompletedBatches() const;
  int64_t numProcessedRecords() const;  // over every completed batch
  Time startTime() const { return start_ms_; }

 private:
  struct QueuedJob {
    Time time;
    StreamingJob job;
  };
  void workerLoop();
  void runJob(QueuedJob& q);
  // Records the end of batch t, logs its line (and the overload detector's), tells hooks_
  // and the listeners.
  void completeBatch(Time t, int64_t end_ms);
  int64_t numQueuedLocked() const;
  // Batch t, active or retained; null when unknown. Called with mu_ held.
  BatchInfo* findBatchLocked(Time t);

  Clock& clock_;
  int concurrent_jobs_;
  BatchHooks& hooks_;
  int64_t start_ms_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<QueuedJob> queue_;
  std::map<Time, BatchInfo> active_;
  std::map<Time, int> jobs_left_;
  std::deque<BatchInfo> completed_;
  int64_t num_completed_ = 0;
  int64_t num_processed_records_ = 0;
  Time last_completed_ = -1;
  OverloadDetector overload_;
  std::vector<Time> dropped_;
  std::vector<StreamingListener*> listeners_;
  bool stopping_ = false;
  bool drain_ = false;
  std::vector<std::thread> workers_;
  int live_workers_ = 0;  // workers whose loop has not returned
};

}  // namespace sluice
