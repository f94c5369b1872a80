// The JSON of the driver's streaming REST API, with the paths and field names of Spark's
// /api/v1/applications/<app-id>/streaming/... (StreamingStatistics, BatchInfo,
// OutputOperationInfo, ReceiverInfo). Dates are formatted as Spark formats them
// ("2026-11-24T19:05:40.123GMT"); absent optional values are null.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "driver/job_scheduler.h"
#include "driver/receiver_tracker.h"

namespace sluice {

// What the REST API reads: the batches and the receivers of one StreamingContext.
struct StreamingProgress {
  int64_t start_ms = 0;
  int64_t batch_duration_ms = 0;
  std::vector<BatchInfo> active;     // queued or running, any order
  std::vector<BatchInfo> completed;  // retained, oldest first
  int64_t num_total_completed = 0;
  int64_t num_total_processed_records = 0;
  std::vector<ReceiverInfo> receivers;
};

std::string sparkDate(int64_t epoch_ms);

// /streaming/statistics
nlohmann::json streamingStatistics(const StreamingProgress& p);
// /streaming/batches, newest first; status_filter is QUEUED, PROCESSING or COMPLETED
// (empty: all).
nlohmann::json streamingBatches(const StreamingProgress& p, const std::string& status_filter = "");
// /streaming/batches/<batch-id>, nullopt when unknown.
std::optional<nlohmann::json> streamingBatch(const StreamingProgress& p, int64_t batch_id);
// /streaming/batches/<batch-id>/operations, nullopt when unknown.
std::optional<nlohmann::json> streamingOperations(const StreamingProgress& p, int64_t batch_id);
// /streaming/receivers
nlohmann::json streamingReceivers(const StreamingProgress& p);

}  // namespace sluice
