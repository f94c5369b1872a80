// OverloadDetector over synthetic batches: a WARN line after 3 batches in a row over the
// interval, naming the queue, the processing time against the interval and the knobs;
// no line per batch while it stays overloaded, one more a minute later; an INFO line when
// it keeps up again.
#include <catch2/catch.hpp>

#include "streaming/overload_detector.h"

using namespace sluice;
using Level = OverloadDetector::Report::Level;

namespace {

// Batch t of a 1 s interval, submitted at t, processed from start_ms to end_ms.
BatchInfo batch(Time t, int64_t start_ms, int64_t end_ms) {
  BatchInfo b;
  b.batch_time = t;
  b.submission_ms = t;
  b.processing_start_ms = start_ms;
  b.processing_end_ms = end_ms;
  b.output_ops[0] = {0, "foreachRDD", "", start_ms, end_ms, ""};
  return b;
}

// Batch t took processing_ms, starting as soon as the previous one ended at *clock.
BatchInfo slowBatch(Time t, int64_t processing_ms, int64_t* clock) {
  int64_t start = std::max(*clock, t);
  *clock = start + processing_ms;
  return batch(t, start, *clock);
}

}  // namespace

TEST_CASE("overload: a WARN line after 3 batches in a row over the interval, then at most one a minute",
          "[streaming][overload]") {
  OverloadDetector detector(Seconds(1));
  int64_t clock = 0;
  CHECK_FALSE(detector.batchCompleted(slowBatch(1000, 1500, &clock), 0));
  CHECK_FALSE(detector.batchCompleted(slowBatch(2000, 1500, &clock), 1));
  CHECK(detector.state().consecutive_overloaded == 2);
  CHECK_FALSE(detector.state().overloaded);

  auto warn = detector.batchCompleted(slowBatch(3000, 1500, &clock), 2);  // ends at 5500, total delay 2500
  REQUIRE(warn);
  CHECK(warn->level == Level::kWarn);
  CHECK_THAT(warn->message,
             Catch::Contains("streaming is falling behind: 3 batches in a row had a total delay over the 1000 ms "
                             "batch interval (the last, batch 3000: processing time 1500 ms, total delay 2500 ms)") &&
                 Catch::Contains("mean processing time 1500 ms against the 1000 ms interval; 2 batches queued") &&
                 Catch::Contains("streaming.batchDuration") && Catch::Contains("streaming.receiver.maxRate") &&
                 Catch::Contains("streaming.backpressure.enabled"));
  CHECK(detector.state().overloaded);
  CHECK(detector.state().warnings == 1);

  // Still behind: no line per batch until a minute after the warning (batch end times).
  int lines = 0;
  Time t = 4000;
  while (clock < 5500 + 60'000) {
    if (auto r = detector.batchCompleted(slowBatch(t, 1500, &clock), t / 1000)) {
      ++lines;
      CHECK(r->level == Level::kWarn);
      CHECK(clock >= 5500 + 60'000);
      CHECK_THAT(r->message, Catch::Contains(std::to_string(detector.state().consecutive_overloaded) +
                                             " batches in a row"));
    }
    t += 1000;
  }
  CHECK(lines == 1);
  CHECK(detector.state().warnings == 2);
  CHECK(detector.state().consecutive_overloaded > 40);

  // One batch within the interval: it keeps up again, once.
  auto ok = detector.batchCompleted(batch(1'000'000, 1'000'000, 1'000'200), 0);
  REQUIRE(ok);
  CHECK(ok->level == Level::kInfo);
  CHECK_THAT(ok->message, Catch::Contains("streaming keeps up again: batch 1000000 had total delay 200 ms"));
  CHECK(detector.state().consecutive_overloaded == 0);
  CHECK_FALSE(detector.state().overloaded);
  CHECK_FALSE(detector.batchCompleted(batch(1'001'000, 1'001'000, 1'001'200), 0));
}

TEST_CASE("overload: short streaks and batches that ran nothing log no line", "[streaming][overload]") {
  OverloadDetector detector(Seconds(1));
  for (int round = 0; round < 5; ++round) {
    Time t = 10'000 * (round + 1);
    CHECK_FALSE(detector.batchCompleted(batch(t, t, t + 1500), 3));
    CHECK_FALSE(detector.batchCompleted(batch(t + 1000, t + 1500, t + 3000), 3));
    CHECK(detector.state().consecutive_overloaded == 2);
    CHECK_FALSE(detector.batchCompleted(batch(t + 3000, t + 3000, t + 3900), 0));  // total delay 900: within
    CHECK(detector.state().consecutive_overloaded == 0);
  }
  CHECK(detector.state().warnings == 0);

  // A batch without output operations (nothing ran) neither counts nor resets a streak.
  CHECK_FALSE(detector.batchCompleted(batch(100'000, 100'000, 101'500), 0));
  CHECK_FALSE(detector.batchCompleted(batch(101'000, 101'500, 103'000), 0));
  BatchInfo empty;
  empty.batch_time = 102'000;
  empty.submission_ms = empty.processing_start_ms = empty.processing_end_ms = 102'000;
  CHECK_FALSE(detector.batchCompleted(empty, 0));
  CHECK(detector.state().consecutive_overloaded == 2);
  auto warn = detector.batchCompleted(batch(102'000, 103'000, 104'500), 1);
  REQUIRE(warn);
  CHECK(warn->level == Level::kWarn);
}

TEST_CASE("overload: a stream that flaps warns at most once a minute, and says it keeps up only after a warning",
          "[streaming][overload]") {
  OverloadDetector detector(Seconds(1));
  int warnings = 0, recoveries = 0;
  auto count = [&](std::optional<OverloadDetector::Report> r) {
    if (!r) return;
    (r->level == Level::kWarn ? warnings : recoveries) += 1;
  };
  // Rounds of 10 s: three batches over the interval, then one within. The first round warns
  // (and recovers); the next five start within a minute of that warning and stay quiet.
  for (int round = 0; round < 6; ++round) {
    Time t = 10'000 * (round + 1);
    count(detector.batchCompleted(batch(t, t, t + 1500), 2));
    count(detector.batchCompleted(batch(t + 1000, t + 1500, t + 3000), 2));
    count(detector.batchCompleted(batch(t + 2000, t + 3000, t + 4500), 2));
    CHECK(detector.state().overloaded);
    count(detector.batchCompleted(batch(t + 5000, t + 5000, t + 5100), 0));
    CHECK_FALSE(detector.state().overloaded);
  }
  CHECK(warnings == 1);
  CHECK(recoveries == 1);
  // The round that starts a minute after the first warning (which ended at 14,500) warns again.
  Time t = 80'000;
  count(detector.batchCompleted(batch(t, t, t + 1500), 2));
  count(detector.batchCompleted(batch(t + 1000, t + 1500, t + 3000), 2));
  count(detector.batchCompleted(batch(t + 2000, t + 3000, t + 4500), 2));
  CHECK(warnings == 2);
  CHECK(detector.state().warnings == 2);
}
