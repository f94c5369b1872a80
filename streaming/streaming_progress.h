// StreamingProgress: a snapshot of one StreamingContext's batches and receivers, what
// its REST API and UI show.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "streaming/overload_detector.h"
#include "streaming/streaming_listener.h"

namespace sluice {

// What /streaming/receivers shows of one receiver.
struct ReceiverInfo {
  int stream_id = 0;
  std::string name;
  bool active = false;
  std::string executor_id;
  std::string host;
  int64_t started_ms = -1;
  int64_t records = 0;
  int64_t blocks = 0;
  int restarts = 0;
  std::string last_error;
  int64_t last_error_ms = -1;
  // The records per second the receiver is held to (streaming.receiver.maxRate, or
  // backpressure's last bound within it); 0 when unlimited.
  int64_t rate_limit = 0;
};

struct StreamingProgress {
  int64_t start_ms = 0;
  int64_t batch_duration_ms = 0;  // the interval; adaptive: the next batch's
  bool adaptive_interval = false;  // streaming.batchDuration.adaptive
  std::vector<BatchInfo> active;     // queued or running, any order
  std::vector<BatchInfo> completed;  // retained, oldest first
  int64_t num_total_completed = 0;
  int64_t num_total_processed_records = 0;
  std::vector<ReceiverInfo> receivers;
  OverloadState overload;          // whether batches fall behind the interval
  int64_t num_dropped_batches = 0;  // generated but not run, after a stop that did not drain
};

}  // namespace sluice
