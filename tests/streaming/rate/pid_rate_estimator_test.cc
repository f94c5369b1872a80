// PIDRateEstimator: the cases of Spark's PIDRateEstimatorSuite, with its numbers.
#include "streaming/rate/pid_rate_estimator.h"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

namespace sluice {
namespace {

PIDRateEstimator estimator(int64_t batch_ms, double p, double i, double d, double min_rate) {
  auto e = PIDRateEstimator::create({batch_ms, p, i, d, min_rate});
  REQUIRE(e.isOk());
  return std::move(*e);
}

// Spark's createDefaultEstimator.
PIDRateEstimator defaultEstimator() { return estimator(20, 1, 0, 0, 10); }

TEST_CASE("PID estimator: checks ranges", "[streaming][rate]") {
  auto refused = [](PIDRateEstimatorParams p) { return !PIDRateEstimator::create(p).isOk(); };
  CHECK(refused({0, 1, 2, 3, 10}));
  CHECK(refused({100, -1, 2, 3, 10}));
  CHECK(refused({100, 0, -1, 3, 10}));
  CHECK(refused({100, 0, 0, -1, 10}));
  CHECK(refused({100, 0, 0, 0, 0}));
  CHECK(refused({100, 0, 0, 0, -10}));
  CHECK_FALSE(refused({100, 0, 0, 0, 10}));
  CHECK(PIDRateEstimator::create({100, 0, 0, 0, 0}).status().message().find("minRate") != std::string::npos);
}

TEST_CASE("PID estimator: the defaults are Spark's", "[streaming][rate]") {
  auto p = PIDRateEstimatorParams::fromConf(Conf(), 1000);
  CHECK(p.batch_interval_ms == 1000);
  CHECK(p.proportional == 1.0);
  CHECK(p.integral == 0.2);
  CHECK(p.derivative == 0.0);
  CHECK(p.min_rate == 100.0);
  Conf conf;
  conf.set("spark.streaming.backpressure.pid.minRate", "5");
  conf.set("streaming.backpressure.pid.integral", "0.5");
  auto q = PIDRateEstimatorParams::fromConf(conf, 1000);
  CHECK(q.min_rate == 5.0);
  CHECK(q.integral == 0.5);
}

TEST_CASE("PID estimator: first estimate is none", "[streaming][rate]") {
  auto p = defaultEstimator();
  CHECK(p.compute(0, 10, 10, 0) == std::nullopt);
}

TEST_CASE("PID estimator: second estimate is not none", "[streaming][rate]") {
  auto p = defaultEstimator();
  p.compute(0, 10, 10, 0);
  CHECK(p.compute(10, 10, 10, 0) == std::optional<double>(1000));  // 1000 records per second
}

TEST_CASE("PID estimator: no estimate when no time difference between successive calls", "[streaming][rate]") {
  auto p = defaultEstimator();
  p.compute(0, 10, 10, 0);
  CHECK(p.compute(10, 10, 10, 0) != std::nullopt);
  CHECK(p.compute(10, 10, 10, 0) == std::nullopt);
}

TEST_CASE("PID estimator: no estimate when no records in previous batch", "[streaming][rate]") {
  auto p = defaultEstimator();
  p.compute(0, 10, 10, 0);
  CHECK(p.compute(10, 0, 10, 0) == std::nullopt);
  CHECK(p.compute(20, -10, 10, 0) == std::nullopt);
}

TEST_CASE("PID estimator: no estimate when there is no processing delay", "[streaming][rate]") {
  auto p = defaultEstimator();
  p.compute(0, 10, 10, 0);
  CHECK(p.compute(10, 10, 0, 0) == std::nullopt);
  CHECK(p.compute(20, 10, -10, 0) == std::nullopt);
}

TEST_CASE("PID estimator: estimate is never less than min rate", "[streaming][rate]") {
  const double min_rate = 5;
  auto p = estimator(20, 1, 1, 0, min_rate);
  // A batch every 20 ms with 1 record and 20 ms of processing and a positive scheduling
  // delay points the estimator down; it never goes below minRate.
  std::vector<std::optional<double>> res;
  for (int i = 0; i < 50; ++i) res.push_back(p.compute(i * 20, 1, 20, 100));
  CHECK(res[0] == std::nullopt);
  for (int i = 1; i < 50; ++i) CHECK(res[i] == std::optional<double>(min_rate));
}

TEST_CASE("PID estimator: with no accumulated or positive error, |I| > 0, follow the processing speed",
          "[streaming][rate]") {
  auto p = estimator(20, 1, 1, 0, 10);
  // Every 20 ms, more and more records in a constant 20 ms of processing, no scheduling
  // delay: only the proportional term acts, so the estimate follows the processing speed.
  std::vector<std::optional<double>> res;
  for (int i = 0; i < 50; ++i) res.push_back(p.compute(i * 20, (i + 1) * 20, 20, 0));
  CHECK(res[0] == std::nullopt);
  for (int i = 1; i < 50; ++i) CHECK(res[i] == std::optional<double>((i + 1) * 1000.0));
}

TEST_CASE("PID estimator: with no accumulated but some positive error, |I| > 0, follow the processing speed",
          "[streaming][rate]") {
  auto p = estimator(20, 1, 1, 0, 10);
  // Fewer and fewer records in a constant 20 ms: the estimate asks for less and less.
  std::vector<std::optional<double>> res;
  for (int i = 0; i < 50; ++i) res.push_back(p.compute(i * 20, (50 - i) * 20, 20, 0));
  CHECK(res[0] == std::nullopt);
  for (int i = 1; i < 50; ++i) CHECK(res[i] == std::optional<double>((50 - i) * 1000.0));
}

TEST_CASE("PID estimator: with some accumulated and some positive error, |I| > 0, stay below the processing speed",
          "[streaming][rate]") {
  auto p = estimator(20, 1, 0.01, 0, 10);
  std::mt19937 rng(13);  // Spark's suite draws these at random; a fixed seed keeps the test repeatable
  std::uniform_int_distribution<int> records(0, 999), wait(0, 18);
  const int64_t processing_ms = 20;
  std::vector<int64_t> elements, sched;
  for (int i = 0; i < 50; ++i) {
    elements.push_back(records(rng));
    sched.push_back(wait(rng));
  }
  std::vector<std::optional<double>> res;
  for (int i = 0; i < 50; ++i) res.push_back(p.compute(i * 20, elements[i], processing_ms, sched[i]));
  CHECK(res[0] == std::nullopt);
  for (int n = 1; n < 50; ++n) {
    if (elements[n] == 0) continue;  // Spark's draw could give 0 too: no estimate then
    REQUIRE(res[n] != std::nullopt);
    double speed = static_cast<double>(elements[n]) / processing_ms * 1000;
    if (*res[n] > 0 && sched[n] > 0) CHECK(*res[n] < speed);
  }
}

}  // namespace
}  // namespace sluice
