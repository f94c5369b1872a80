// BatchIntervalController on synthetic batches: a simulated stream whose processing time
// is overhead + cost x records, records = rate x interval, batches run one after another
// (a batch starts when both its time has come and the previous batch ended, so scheduling
// delay is the queue). No clock, no threads.
#include "streaming/adaptive/batch_interval_controller.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

namespace sluice {
namespace {

struct Load {
  double overhead_ms;     // per batch
  double ms_per_record;   // per record
  double records_per_ms;  // input rate
};

struct SimulatedBatch {
  int64_t interval_ms;
  int64_t processing_ms;
  int64_t scheduling_delay_ms;
};

// Runs n batches of load through the controller, continuing the simulated timeline.
class Simulation {
 public:
  explicit Simulation(BatchIntervalController& c) : c_(c) {}
  std::vector<SimulatedBatch> run(int n, Load load) {
    std::vector<SimulatedBatch> out;
    for (int i = 0; i < n; ++i) {
      int64_t x = c_.interval().ms;
      batch_time_ += x;
      int64_t start = std::max(batch_time_, busy_until_);
      auto records = static_cast<int64_t>(load.records_per_ms * static_cast<double>(x));
      auto p = static_cast<int64_t>(load.overhead_ms + load.ms_per_record * static_cast<double>(records));
      busy_until_ = start + p;
      out.push_back({x, p, start - batch_time_});
      c_.update({x, p, records, start - batch_time_});
    }
    return out;
  }

 private:
  BatchIntervalController& c_;
  int64_t batch_time_ = 0;
  int64_t busy_until_ = 0;
};

AdaptiveIntervalParams bounds(int64_t min_ms, int64_t max_ms, double ratio = 0.7) {
  AdaptiveIntervalParams p;
  p.min = Milliseconds(min_ms);
  p.max = Milliseconds(max_ms);
  p.target_ratio = ratio;
  REQUIRE(p.validate().isOk());
  return p;
}

int64_t maxDelay(const std::vector<SimulatedBatch>& batches) {
  int64_t m = 0;
  for (const auto& b : batches) m = std::max(m, b.scheduling_delay_ms);
  return m;
}

}  // namespace

TEST_CASE("adaptive interval: out-of-range parameters are refused, naming the key", "[streaming][adaptive]") {
  AdaptiveIntervalParams p;
  p.min = Milliseconds(0);
  CHECK(p.validate().message().find("streaming.batchDuration.adaptive.min") != std::string::npos);
  p = AdaptiveIntervalParams{};
  p.min = Seconds(2);
  p.max = Seconds(1);
  CHECK(p.validate().message().find("streaming.batchDuration.adaptive.max (1000 ms) must not be below") !=
        std::string::npos);
  for (double bad : {0.0, -0.5, 1.5}) {
    p = AdaptiveIntervalParams{};
    p.target_ratio = bad;
    CHECK(p.validate().message().find("streaming.batchDuration.adaptive.targetRatio") != std::string::npos);
  }
  p = AdaptiveIntervalParams{};
  p.target_ratio = 1.0;
  CHECK(p.validate().isOk());
}

TEST_CASE("adaptive interval: starts at the given interval clamped to the bounds", "[streaming][adaptive]") {
  CHECK(BatchIntervalController(bounds(100, 5000), Milliseconds(50)).interval() == Milliseconds(100));
  CHECK(BatchIntervalController(bounds(100, 5000), Seconds(9)).interval() == Seconds(5));
  CHECK(BatchIntervalController(bounds(100, 5000), Milliseconds(700)).interval() == Milliseconds(700));
}

TEST_CASE("adaptive interval: from a long interval it shrinks slowly to the smallest stable one, never below",
          "[streaming][adaptive]") {
  // 100 ms + 0.2 ms per ms of interval: on target (0.7) at 100 / (0.7 - 0.2) = 200 ms.
  BatchIntervalController c(bounds(50, 10000), Seconds(2));
  Simulation sim(c);
  auto batches = sim.run(80, {100, 0.2, 1.0});
  for (size_t i = 1; i < batches.size(); ++i) {
    // At most 10 % (and a rounding millisecond) shorter per batch; never longer: no overshoot.
    CHECK(batches[i].interval_ms >= batches[i - 1].interval_ms * 9 / 10 - 1);
    CHECK(batches[i].interval_ms <= batches[i - 1].interval_ms);
    CHECK(batches[i].interval_ms >= 200);
    CHECK(batches[i].processing_ms <= batches[i].interval_ms);
  }
  CHECK(c.interval().ms <= 215);
  CHECK(maxDelay(batches) == 0);
}

TEST_CASE("adaptive interval: from the minimum under overload it grows fast, and the queue drains",
          "[streaming][adaptive]") {
  // 300 ms + 0.2 ms per ms of interval: on target at 600 ms; at 100 ms a batch takes 320 ms.
  BatchIntervalController c(bounds(100, 10000), Milliseconds(100));
  Simulation sim(c);
  auto batches = sim.run(40, {300, 0.2, 1.0});
  // Doubling at most, so 100 -> 200 -> 400 -> at least 600 by the fourth batch.
  CHECK(batches[1].interval_ms == 200);
  CHECK(batches[2].interval_ms == 400);
  CHECK(batches[3].interval_ms >= 600);
  for (size_t i = 10; i < batches.size(); ++i) {
    CHECK(batches[i].interval_ms >= 600);
    CHECK(batches[i].interval_ms <= 660);
    CHECK(batches[i].scheduling_delay_ms == 0);  // the early queue drained
  }
}

TEST_CASE("adaptive interval: a step up of the input rate makes it follow, with a bounded queue, and it comes back",
          "[streaming][adaptive]") {
  BatchIntervalController c(bounds(100, 10000), Milliseconds(200));
  Simulation sim(c);
  // 100 ms + 0.1 ms a record; 1 record/ms: on target at 100 / (0.7 - 0.1) = 167 ms.
  auto low = sim.run(40, {100, 0.1, 1.0});
  CHECK(c.interval().ms >= 167);
  CHECK(c.interval().ms <= 180);
  CHECK(maxDelay(low) == 0);
  // x5: 0.5 ms of work per ms of interval, on target at 100 / (0.7 - 0.5) = 500 ms.
  auto high = sim.run(40, {100, 0.1, 5.0});
  int to_target = -1;
  for (size_t i = 0; i < high.size(); ++i) {
    if (high[i].interval_ms >= 500) {
      to_target = static_cast<int>(i);
      break;
    }
  }
  REQUIRE(to_target >= 0);
  CHECK(to_target <= 4);           // the fit of processing time against records jumps there
  CHECK(maxDelay(high) <= 500);    // the queue of the step's first batches stays short ...
  for (size_t i = to_target + 2; i < high.size(); ++i) CHECK(high[i].scheduling_delay_ms == 0);  // ... and drains
  CHECK(c.interval().ms <= 550);
  // Back to the low rate: back to about 167 ms, shrinking at most 10 % a batch.
  auto back = sim.run(40, {100, 0.1, 1.0});
  for (size_t i = 1; i < back.size(); ++i) CHECK(back[i].interval_ms >= back[i - 1].interval_ms * 9 / 10 - 1);
  CHECK(c.interval().ms >= 167);
  CHECK(c.interval().ms <= 180);
  CHECK(maxDelay(back) == 0);
}

TEST_CASE("adaptive interval: a load no interval can sustain takes it to the maximum, and no further",
          "[streaming][adaptive]") {
  // 0.9 ms of work per ms of interval is over the 0.7 target at any interval.
  BatchIntervalController c(bounds(100, 3000), Milliseconds(100));
  Simulation sim(c);
  auto batches = sim.run(30, {50, 0.9, 1.0});
  for (const auto& b : batches) CHECK(b.interval_ms <= 3000);
  CHECK(c.interval() == Milliseconds(3000));
}

TEST_CASE("adaptive interval: it does not shrink while batches wait", "[streaming][adaptive]") {
  BatchIntervalController c(bounds(100, 10000), Seconds(1));
  // Processing is short, but the batch waited 800 ms: a queue is draining.
  CHECK(c.update({1000, 100, 1000, 800}) == Seconds(1));
  // Without the wait, it shrinks (by 10 %, its step).
  CHECK(c.update({1000, 100, 1000, 0}) == Milliseconds(900));
}

TEST_CASE("adaptive interval: a batch without an interval changes nothing, small changes are ignored",
          "[streaming][adaptive]") {
  BatchIntervalController c(bounds(100, 10000), Seconds(1));
  CHECK(c.update({0, 5000, 10, 0}) == Seconds(1));
  CHECK(c.update({1000, -1, 10, 0}) == Seconds(1));
  // 720 ms for 1000 ms wants 1029 ms: within the 5 % deadband.
  CHECK(c.update({1000, 720, 10, 0}) == Seconds(1));
}

TEST_CASE("adaptive interval: the model fits overhead and cost per record from batches of different sizes",
          "[streaming][adaptive]") {
  BatchIntervalController c(bounds(100, 10000), Seconds(1));
  CHECK_FALSE(c.model().valid);
  // Same size three times: nothing to fit.
  for (int i = 0; i < 3; ++i) c.update({1000, 500, 2000, 0});
  CHECK_FALSE(c.model().valid);
  for (int64_t n : {1000, 3000, 4000}) c.update({1000, 100 + n / 5, n, 0});
  REQUIRE(c.model().valid);
  CHECK(c.model().overhead_ms == Approx(100).margin(1));
  CHECK(c.model().ms_per_record == Approx(0.2).epsilon(0.01));
}

}  // namespace sluice
