// The JSON of the driver's streaming REST API, with the paths and field names of Spark's
// /api/v1/applications/<app-id>/streaming/... (StreamingStatistics, BatchInfo,
// OutputOperationInfo, ReceiverInfo). Dates are formatted as Spark formats them
// ("2026-11-24T19:05:40.123GMT"); absent optional values are null.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "common/http_server.h"  // sparkDate
#include "streaming/streaming_progress.h"

namespace sluice {

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
// /streaming/receivers/<stream-id>: that receiver's element of streamingReceivers(),
// nullopt when unknown.
std::optional<nlohmann::json> streamingReceiver(const StreamingProgress& p, int stream_id);

}  // namespace sluice
