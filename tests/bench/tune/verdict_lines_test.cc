#include "bench/tune/verdict_lines.h"

#include <catch2/catch.hpp>

#include "tests/bench/tune/point_summary.h"

namespace sluice::tune {
namespace {

using testing::point;

}  // namespace

TEST_CASE(
    "tune verdict lines: shortest stable interval per rate, highest sustainable rate per "
    "interval") {
  std::vector<PointSummary> points{point(100, 1000, false), point(250, 1000, true),
                                   point(500, 1000, true),  point(100, 2000, false),
                                   point(250, 2000, false), point(500, 2000, true)};
  points[5].contradiction = "made up";
  CHECK(verdictLines(points) ==
        std::vector<std::string>{
            "shortest stable interval at 1000 records/s: 250 ms",
            "shortest stable interval at 2000 records/s: 500 ms (flagged: made up)",
            "highest sustainable rate at interval 100 ms: none of 1000, 2000 records/s",
            "highest sustainable rate at interval 250 ms: 1000 records/s",
            "highest sustainable rate at interval 500 ms: 2000 records/s (flagged: made up)"});
  std::vector<PointSummary> unlimited{point(100, 0, false), point(1000, 0, false)};
  CHECK(verdictLines(unlimited) ==
        std::vector<std::string>{
            "shortest stable interval at an unlimited rate: none of 100, 1000 ms"});
}

TEST_CASE(
    "tune verdict lines: a stable interval below an unstable one is not the answer, and is "
    "flagged") {
  // Given out of order: the lines sort each rate's intervals.
  std::vector<PointSummary> points{point(500, 0, true), point(100, 0, true), point(1000, 0, true),
                                   point(250, 0, false)};
  CHECK(verdictLines(points) ==
        std::vector<std::string>{"shortest stable interval at an unlimited rate: 500 ms "
                                 "(flagged: stable at 100 ms but not at 250 ms)"});
}

TEST_CASE("tune verdict lines: an unstable longest interval leaves no answer, flagged") {
  std::vector<PointSummary> points{point(100, 0, false), point(250, 0, true), point(500, 0, true),
                                   point(1000, 0, false)};
  CHECK(verdictLines(points) ==
        std::vector<std::string>{"shortest stable interval at an unlimited rate: none of 100, "
                                 "250, 500, 1000 ms (flagged: stable at 250, 500 ms but not at "
                                 "1000 ms)"});
}

TEST_CASE(
    "tune verdict lines: a stable higher rate above an unstable lower one is not the answer, "
    "and is flagged") {
  std::vector<PointSummary> points{point(500, 1000, true), point(500, 2000, false),
                                   point(500, 4000, true)};
  points[2].contradiction = "stable at 4000 records/s but not at 2000 records/s (interval 500 ms)";
  auto lines = verdictLines(points);
  REQUIRE(lines.size() == 4);
  CHECK(lines[3] ==
        "highest sustainable rate at interval 500 ms: 1000 records/s (flagged: stable at 4000 "
        "records/s but not at 2000 records/s)");
}

}  // namespace sluice::tune
