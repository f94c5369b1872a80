#include "bench/tune/rest_client.h"

#include <catch2/catch.hpp>

namespace sluice::tune {

TEST_CASE("tune rest: batches and statistics as the driver's REST API serves them") {
  // Two batches as streaming/ui/streaming_rest.cc writes them: one completed, one queued.
  auto batches = parseBatchesJson(R"([
    {"batchId": 1700000000500, "batchTime": "2023-11-14T22:13:20.500GMT", "status": "QUEUED",
     "batchDuration": 500, "inputSize": 0, "schedulingDelay": null, "processingTime": null,
     "totalDelay": null, "numActiveOutputOps": 0, "numCompletedOutputOps": 0},
    {"batchId": 1700000000000, "status": "COMPLETED", "inputSize": 51234, "schedulingDelay": 3,
     "processingTime": 140, "totalDelay": 143}])");
  REQUIRE(batches.isOk());
  REQUIRE(batches->size() == 2);
  const BatchRecord& queued = (*batches)[0];
  CHECK(queued.batch_time_ms == 1700000000500);
  CHECK(queued.status == "QUEUED");
  CHECK(queued.scheduling_delay_ms == -1);
  CHECK(queued.total_delay_ms == -1);
  const BatchRecord& done = (*batches)[1];
  CHECK(done.completed());
  CHECK(done.records == 51234);
  CHECK(done.scheduling_delay_ms == 3);
  CHECK(done.processing_time_ms == 140);
  CHECK(done.total_delay_ms == 143);

  auto stats = parseStatisticsJson(
      R"({"batchDuration": 250, "numTotalCompletedBatches": 12, "numActiveBatches": 1, "numReceivers": 2})");
  REQUIRE(stats.isOk());
  CHECK(stats->batch_duration_ms == 250);
  CHECK(stats->completed_batches == 12);
  CHECK(stats->num_receivers == 2);

  CHECK(parseBatchesJson("{}").status().message() == "the batches are not a JSON list");
  CHECK_FALSE(parseBatchesJson("[{\"status\": \"QUEUED\"}]").isOk());
  CHECK_FALSE(parseStatisticsJson("not json").isOk());
}

}  // namespace sluice::tune
