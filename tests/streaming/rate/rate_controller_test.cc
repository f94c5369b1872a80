// RateController: each completed batch's records, processing time and scheduling delay of
// a receiver's stream become that receiver's new bound in the tracker (what the REST data
// shows and what UpdateRateLimit carries), within maxRate; it exists only with
// streaming.backpressure.enabled.
#include "streaming/rate/rate_controller.h"

#include <catch2/catch.hpp>

#include "streaming/receiver_tracker.h"

namespace sluice {
namespace {

BatchInfo batch(Time t, int64_t start_ms, int64_t end_ms, std::map<int, int64_t> records) {
  BatchInfo b;
  b.batch_time = t;
  b.submission_ms = t;
  b.processing_start_ms = start_ms;
  b.processing_end_ms = end_ms;
  b.records_per_stream = std::move(records);
  for (auto& [id, n] : b.records_per_stream) b.num_records += n;
  return b;
}

int64_t rateOf(const ReceiverTracker& tracker, int stream_id) {
  for (const auto& r : tracker.receivers())
    if (r.stream_id == stream_id) return r.rate_limit;
  return -1;
}

TEST_CASE("rate controller: off unless streaming.backpressure.enabled, refused with a bad parameter",
          "[streaming][rate]") {
  ReceiverTracker tracker;
  tracker.addReceiver(0, "r-0", {});
  auto off = RateController::fromConf(Conf(), 1000, tracker);
  REQUIRE(off.isOk());
  CHECK(*off == nullptr);
  Conf on;
  on.set("spark.streaming.backpressure.enabled", "true");
  auto made = RateController::fromConf(on, 1000, tracker);
  REQUIRE(made.isOk());
  CHECK(*made != nullptr);
  on.set("streaming.backpressure.pid.minRate", "0");
  auto bad = RateController::fromConf(on, 1000, tracker);
  REQUIRE_FALSE(bad.isOk());
  CHECK(bad.status().message().find("minRate") != std::string::npos);
}

TEST_CASE("rate controller: every completed batch of a stream moves that receiver's bound", "[streaming][rate]") {
  ReceiverTracker tracker;
  tracker.addReceiver(0, "r-0", {});
  tracker.addReceiver(1, "r-1", {});
  Conf conf;
  conf.set("streaming.backpressure.pid.integral", "0");  // Spark's suite's default estimator
  conf.set("streaming.backpressure.pid.minRate", "10");
  auto controller = RateController::create(conf, 20, {0, 1}, tracker);
  REQUIRE(controller.isOk());
  RateController& c = **controller;
  c.onBatchCompleted(batch(0, 0, 10, {{0, 10}, {1, 5}}));  // first run: no estimate
  CHECK(rateOf(tracker, 0) == 0);
  c.onBatchCompleted(batch(20, 20, 30, {{0, 10}, {1, 20}}));  // 10 records in 10 ms, 20 in 10 ms
  CHECK(rateOf(tracker, 0) == 1000);
  CHECK(rateOf(tracker, 1) == 2000);
  CHECK(c.latestRate(0) == 1000);
  c.onBatchCompleted(batch(40, 40, 45, {{1, 20}}));  // stream 0 not in the batch: unchanged
  CHECK(rateOf(tracker, 0) == 1000);
  CHECK(rateOf(tracker, 1) == 4000);
  BatchInfo running = batch(60, 60, -1, {{0, 10}});  // not completed: ignored
  c.onBatchCompleted(running);
  CHECK(rateOf(tracker, 0) == 1000);
}

}  // namespace
}  // namespace sluice
