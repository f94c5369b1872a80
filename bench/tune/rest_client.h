// A client of one driver's streaming REST API (Spark's /api/v1/applications/<id>/streaming,
// served by streaming/ui/streaming_rest.cc): the statistics and every retained batch.
// THREADING: one thread at a time. Every request has a 5 s deadline; a failed request is
// an Unavailable status (the caller decides whether to try again).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/tune/run_record.h"
#include "common/status.h"

namespace httplib {
class Client;
}

namespace sluice::tune {

struct StreamingStatistics {
  int64_t batch_duration_ms = 0;
  int64_t completed_batches = 0;  // numTotalCompletedBatches
  int64_t active_batches = 0;     // queued or processing
  int num_receivers = 0;
};

class StreamingRestClient {
 public:
  // base_url: "http://host:port", as the driver logs it ("0.0.0.0" is read as 127.0.0.1).
  // Asks /api/v1/applications for the application id; Unavailable when it does not answer.
  // secret (auth.enabled): every request carries basic auth as the user `sluice`.
  static StatusOr<std::unique_ptr<StreamingRestClient>> connect(
      const std::string& base_url, const std::optional<std::string>& secret = std::nullopt);
  ~StreamingRestClient();

  StatusOr<StreamingStatistics> statistics();
  // Every batch the driver retains (queued, processing and completed), newest first.
  StatusOr<std::vector<BatchRecord>> batches();

  const std::string& applicationId() const { return app_id_; }

 private:
  StreamingRestClient(std::unique_ptr<httplib::Client> http, std::string app_id);
  StatusOr<std::string> get(const std::string& path);

  std::unique_ptr<httplib::Client> http_;
  std::string app_id_;
};

// The body of /streaming/batches and /streaming/statistics as values; Corruption on JSON
// that is not what the REST API serves.
StatusOr<std::vector<BatchRecord>> parseBatchesJson(const std::string& body);
StatusOr<StreamingStatistics> parseStatisticsJson(const std::string& body);

}  // namespace sluice::tune
