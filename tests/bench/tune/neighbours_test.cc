#include "bench/tune/neighbours.h"

#include <catch2/catch.hpp>

#include "tests/bench/tune/point_summary.h"

namespace sluice::tune {
namespace {

using testing::point;

RunOutcome outcome(int64_t interval, int64_t rate, int repeat, int attempt, bool stable,
                   int64_t p99 = 10) {
  RunOutcome o;
  o.run.spec = {"x", interval, rate, repeat, attempt};
  o.verdict.stable = stable;
  o.verdict.p50_total_delay_ms = p99 / 2;
  o.verdict.p99_total_delay_ms = p99;
  return o;
}

}  // namespace

TEST_CASE("tune neighbours: a monotonic grid has no contradiction") {
  std::vector<PointSummary> points{point(100, 1000, false), point(250, 1000, true),
                                   point(500, 1000, true),  point(100, 2000, false),
                                   point(250, 2000, false), point(500, 2000, true)};
  CHECK(findContradictions(points).empty());
}

TEST_CASE(
    "tune neighbours: stable at a shorter interval but not at a longer one, at one rate, flags "
    "both") {
  std::vector<PointSummary> points{
      point(100, 1000, true), point(250, 1000, false), point(500, 1000, true),
      // another rate, monotonic: not involved
      point(100, 2000, false), point(250, 2000, false), point(500, 2000, true)};
  auto c = findContradictions(points);
  REQUIRE(c.size() == 2);
  CHECK(c[0].point == PointKey{100, 1000});
  CHECK(c[0].message == "stable at 100 ms but not at 250 ms at 1000 records/s");
  CHECK(c[1].point == PointKey{250, 1000});
  CHECK(c[1].message == "not stable at 250 ms but stable at 100 ms at 1000 records/s");
}

TEST_CASE("tune neighbours: one unstable point among several stable shorter ones names them all") {
  std::vector<PointSummary> points{point(10, 0, true), point(20, 0, true), point(50, 0, false),
                                   point(100, 0, true)};
  auto c = findContradictions(points);
  REQUIRE(c.size() == 3);
  CHECK(c[2].point == PointKey{50, 0});
  CHECK(c[2].message == "not stable at 50 ms but stable at 10, 20 ms");
}

TEST_CASE(
    "tune neighbours: stable at a higher rate but not at a lower one, at one interval, flags "
    "both") {
  std::vector<PointSummary> points{point(250, 1000, false), point(250, 2000, true)};
  auto c = findContradictions(points);
  REQUIRE(c.size() == 2);
  CHECK(c[0].message ==
        "not stable at 1000 records/s but stable at 2000 records/s (interval 250 ms)");
  CHECK(c[1].message == "stable at 2000 records/s but not at 1000 records/s (interval 250 ms)");
}

TEST_CASE(
    "tune points: a point is judged by its latest attempt, stable only when every run of it is") {
  std::vector<RunOutcome> outcomes{
      outcome(100, 0, 1, 1, true, 40),   outcome(100, 0, 2, 1, false, 90),
      outcome(250, 0, 1, 1, false, 300), outcome(250, 0, 2, 1, true, 80),
      outcome(250, 0, 1, 2, true, 70),   outcome(250, 0, 2, 2, true, 60)};
  auto points = summarizePoints(outcomes);
  REQUIRE(points.size() == 2);
  CHECK(points[0].key == PointKey{100, 0});
  CHECK_FALSE(points[0].stable);
  CHECK(points[0].stable_runs == 1);
  CHECK(points[0].p99_total_delay_ms == 90);  // the highest of the runs
  CHECK(points[1].attempt == 2);
  CHECK(points[1].runs == 2);
  CHECK(points[1].stable);
  CHECK(points[1].p99_total_delay_ms == 70);  // attempt 1's 300 ms is superseded
}

}  // namespace sluice::tune
