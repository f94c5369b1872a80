#include "bench/tune/stability.h"

#include <catch2/catch.hpp>
#include <cmath>

namespace sluice::tune {
namespace {

// A run of `interval` ms batches: 10 warm-up batches, then `measured` measured ones, each
// made by batch(i) from its index i among the measured (warm-up batches are steady).
template <class F>
RunMeasurement runOf(int64_t interval, int measured, F batch) {
  RunMeasurement r;
  r.spec = {"i" + std::to_string(interval), interval, 0, 1, 1};
  r.first_batch_ms = 1'000'000;
  r.warm_end_ms = r.first_batch_ms + 10 * interval;
  r.measure_end_ms = r.warm_end_ms + measured * interval;
  for (int i = 1; i <= 10; ++i)
    r.batches.push_back(
        {r.first_batch_ms + i * interval, "COMPLETED", 100, 0, interval / 2, interval / 2});
  for (int i = 0; i < measured; ++i) {
    BatchRecord b = batch(i);
    b.batch_time_ms = r.warm_end_ms + (i + 1) * interval;
    r.batches.push_back(b);
  }
  r.end_poll_ms = r.measure_end_ms + 5;
  return r;
}

BatchRecord done(int64_t sched, int64_t proc, int64_t records = 100) {
  return {0, "COMPLETED", records, sched, proc, sched + proc};
}

}  // namespace

TEST_CASE("tune stability: percentile is nearest-rank, the slope least-squares") {
  CHECK(percentile({}, 0.99) == -1);
  CHECK(percentile({5}, 0.5) == 5);
  CHECK(percentile({4, 1, 3, 2}, 0.5) == 2);
  CHECK(percentile({4, 1, 3, 2}, 0.99) == 4);
  std::vector<int64_t> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  CHECK(percentile(hundred, 0.99) == 99);
  CHECK(leastSquaresSlope({0, 1, 2, 3}, {1, 3, 5, 7}) == Approx(2.0));
  CHECK(leastSquaresSlope({1, 1}, {0, 5}) == 0);
  CHECK(leastSquaresSlope({1}, {2}) == 0);
}

TEST_CASE("tune stability: a steady stream whose batches finish within the interval is stable") {
  auto run = runOf(500, 40, [](int i) { return done(i % 3, 200 + 10 * (i % 5)); });
  RunVerdict v = judgeRun(run, {});
  CHECK(v.stable);
  CHECK(v.measured_batches == 40);
  CHECK(v.queued_at_end == 0);
  CHECK(v.p99_total_delay_ms == 242);
  CHECK(v.p50_total_delay_ms < 250);
  CHECK(std::abs(v.scheduling_growth_ms) < 5);
  CHECK(v.sustained_per_s == Approx(200.0));  // 100 records per 0.5 s batch
  // 40 batches end within the measured 20 s: the last warm-up batch, not the last measured.
  CHECK(v.processed_per_s == Approx(200.0));
  CHECK(v.why.find("p99 total delay 242 ms < 500 ms") != std::string::npos);
}

TEST_CASE(
    "tune stability: a queue that grows is not stable, even while p99 is still under the "
    "interval") {
  // Processing 5 % over the interval: scheduling delay grows by 25 ms a batch.
  auto run = runOf(1000, 40, [](int i) { return done(25 * i, 300); });
  RunVerdict v = judgeRun(run, {});
  CHECK_FALSE(v.stable);
  CHECK(v.scheduling_trend_ms_per_s == Approx(25.0));
  CHECK(v.scheduling_growth_ms == Approx(975.0));
  // Batch i ends 1025 i + 1300 ms after the warm-up: 38 of them (and the last warm-up
  // batch) within the measured 40 s, fewer than the 40 generated.
  CHECK(v.processed_per_s == Approx(39 * 100 / 40.0));
  CHECK(v.why.find("scheduling delay grew 975 ms over the measured 39.0 s (limit 500 ms)") !=
        std::string::npos);
  // With a tolerance of two intervals the trend passes, and only p99 (975 + 300 ms) fails it.
  RunVerdict lenient = judgeRun(run, {.trend_tolerance = 2.0});
  CHECK_FALSE(lenient.stable);
  CHECK(lenient.why.find("scheduling delay grew") == std::string::npos);
  CHECK(lenient.why.find("p99 total delay 1275 ms is not below the 1000 ms interval") !=
        std::string::npos);
}

TEST_CASE("tune stability: the warm-up batches are not judged") {
  auto run = runOf(200, 20, [](int) { return done(0, 50); });
  for (auto& b : run.batches)
    if (b.batch_time_ms <= run.warm_end_ms)
      b = {b.batch_time_ms, "COMPLETED", 100, 5000, 900, 5900};
  RunVerdict v = judgeRun(run, {});
  CHECK(v.stable);
  CHECK(v.measured_batches == 20);
  CHECK(v.p99_total_delay_ms == 50);
}

TEST_CASE(
    "tune stability: batches queued a whole interval at the end make it unstable, the newest one "
    "does not") {
  auto run = runOf(500, 20, [](int) { return done(0, 100); });
  // The batch generated 5 ms before the snapshot and still QUEUED behind the running one:
  // not a backlog.
  run.batches.back() = {run.batches.back().batch_time_ms, "QUEUED", 100, -1, -1, -1};
  RunVerdict fresh = judgeRun(run, {});
  CHECK(fresh.queued_at_end == 0);
  CHECK(fresh.stable);

  // Two batches that have waited more than an interval.
  auto& n = run.batches;
  n[n.size() - 2] = {n[n.size() - 2].batch_time_ms, "QUEUED", 100, -1, -1, -1};
  n[n.size() - 3] = {n[n.size() - 3].batch_time_ms, "QUEUED", 100, -1, -1, -1};
  RunVerdict backlog = judgeRun(run, {});
  CHECK(backlog.queued_at_end == 2);
  CHECK_FALSE(backlog.stable);
  CHECK(backlog.why.find("2 batches queued at the end") != std::string::npos);
}

TEST_CASE("tune stability: unfinished batches count with their wait so far as lower bounds") {
  // The last 5 measured batches never started: they waited up to 2.5 s at the snapshot.
  auto run = runOf(500, 30, [](int i) {
    return i < 25 ? done(0, 100) : BatchRecord{0, "QUEUED", 100, -1, -1, -1};
  });
  RunVerdict v = judgeRun(run, {});
  CHECK_FALSE(v.stable);
  CHECK(v.p99_total_delay_ms == 2005);
  CHECK(v.queued_at_end == 4);
  CHECK(v.scheduling_growth_ms > 250);
  // Their records were taken in (processing them is what fell behind): 30 x 100 in 15 s.
  CHECK(v.sustained_per_s == Approx(200.0));
}

TEST_CASE("tune stability: a limited rate must be sustained, counted over every receiver") {
  auto run = runOf(1000, 20, [](int) { return done(0, 100, 9000); });
  run.spec.rate = 5000;
  run.num_receivers = 2;  // 10000 records/s offered, 9000 got through
  RunVerdict v = judgeRun(run, {});
  CHECK(v.offered_per_s == Approx(10000.0));
  CHECK(v.sustained_per_s == Approx(9000.0));
  CHECK(v.stable);  // 90 %
  RunVerdict strict = judgeRun(run, {.min_sustained = 0.95});
  CHECK_FALSE(strict.stable);
  CHECK(strict.why == "sustained 9000 of the 10000 records/s offered (below 95 %)");
}

TEST_CASE("tune stability: too few measured batches or a failed run is never stable") {
  auto few = runOf(1000, 3, [](int) { return done(0, 100); });
  RunVerdict v = judgeRun(few, {});
  CHECK_FALSE(v.stable);
  CHECK(v.why == "3 measured batches, fewer than 5");

  auto failed = runOf(1000, 20, [](int) { return done(0, 100); });
  failed.error = "sluice-submit exited with code 1 during the run";
  RunVerdict f = judgeRun(failed, {});
  CHECK_FALSE(f.stable);
  CHECK(f.why.rfind("run failed: sluice-submit exited with code 1", 0) == 0);
}

}  // namespace sluice::tune

namespace sluice::tune {

TEST_CASE("tune stability: the machine's pauses of an interval or more in the measured period are counted and named") {
  // 100 batches of 10 ms; the batches after the pause wait for it, so the p99 fails.
  auto run =
      runOf(10, 100, [](int i) { return i >= 50 && i < 55 ? done(100 - 20 * (i - 50), 4) : done(0, 4); });
  run.stalls = {
      {0, run.warm_end_ms - 500, 100},  // over before the measured period: not counted
      {1, run.warm_end_ms + 300, 8},    // shorter than the interval: not counted
      {0, run.warm_end_ms + 490, 101},  // counted
      {1, run.warm_end_ms - 20, 30},    // ends inside the measured period: counted
      {0, run.measure_end_ms, 200},     // after it: not counted
  };
  RunVerdict v = judgeRun(run, {});
  CHECK_FALSE(v.stable);
  CHECK(v.machine_stalls == 2);
  CHECK(v.worst_machine_stall_ms == 101);
  CHECK_THAT(v.why, Catch::Contains("p99 total delay 84 ms is not below the 10 ms interval"));
  CHECK_THAT(v.why, Catch::Contains("the machine itself paused 2 times for an interval or more, the longest 101 ms"));

  // A stable run says nothing of them: the pauses did not cost it its verdict.
  auto steady = runOf(10, 100, [](int) { return done(0, 4); });
  steady.stalls = {{0, steady.warm_end_ms + 100, 12}};
  RunVerdict s = judgeRun(steady, {});
  CHECK(s.stable);
  CHECK(s.machine_stalls == 1);
  CHECK_THAT(s.why, !Catch::Contains("machine"));
}

}  // namespace sluice::tune
