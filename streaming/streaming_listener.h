// StreamingListener: per-batch events and metrics (Spark's StreamingListener and
// BatchInfo). Callbacks run on the job scheduler's thread and must be quick.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "streaming/duration.h"

namespace sluice {

struct OutputOperationInfo {
  int id = 0;
  std::string name;
  std::string description;
  int64_t start_ms = -1;
  int64_t end_ms = -1;
  std::string failure;  // empty when it succeeded
  int64_t durationMs() const { return end_ms >= 0 && start_ms >= 0 ? end_ms - start_ms : -1; }
};

// One job of a batch, as its batch page shows it (Spark's SparkJobIdWithUIData).
struct BatchJobInfo {
  int job_id = 0;
  int num_stages = 0;          // stages the job ran (skipped ones not counted)
  int num_skipped_stages = 0;  // stages whose output existed already
  int64_t num_tasks = 0;       // tasks ended so far
  int64_t duration_ms = -1;    // -1 while it runs
  bool succeeded = false;
  std::string error;
  bool running() const { return duration_ms < 0; }
};

struct BatchInfo {
  Time batch_time = 0;
  // The time the batch covers, [batch_time - interval_ms, batch_time): the batch interval,
  // or with streaming.batchDuration.adaptive the one picked for it; 0 when not known (a
  // batch re-run after a restart of an adaptive run).
  int64_t interval_ms = 0;
  int64_t num_records = 0;               // input records in the batch
  std::map<int, int64_t> records_per_stream;
  int64_t submission_ms = 0;             // when the batch's jobs were generated
  int64_t processing_start_ms = -1;      // first job started
  int64_t processing_end_ms = -1;        // last job ended
  std::map<int, OutputOperationInfo> output_ops;
  std::map<std::string, int64_t> tasks_by_locality;
  std::map<int, BatchJobInfo> jobs;      // by job id

  // As Spark: scheduling delay = start - batch time... measured from submission.
  int64_t schedulingDelayMs() const { return processing_start_ms >= 0 ? processing_start_ms - submission_ms : -1; }
  int64_t processingTimeMs() const {
    return processing_end_ms >= 0 ? processing_end_ms - processing_start_ms : -1;
  }
  int64_t totalDelayMs() const { return processing_end_ms >= 0 ? processing_end_ms - submission_ms : -1; }
};

class StreamingListener {
 public:
  virtual ~StreamingListener() = default;
  virtual void onBatchSubmitted(const BatchInfo&) {}
  virtual void onBatchStarted(const BatchInfo&) {}
  virtual void onBatchCompleted(const BatchInfo&) {}
  virtual void onOutputOperationCompleted(const BatchInfo&, const OutputOperationInfo&) {}
  virtual void onReceiverStarted(int /*stream_id*/, const std::string& /*location*/) {}
  virtual void onReceiverError(int /*stream_id*/, const std::string& /*message*/) {}
};

}  // namespace sluice
