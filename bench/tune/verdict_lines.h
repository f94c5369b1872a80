// The sweep's answer, as lines for stdout and the report:
//   shortest stable interval at 50000 records/s: 250 ms
//   highest sustainable rate at interval 250 ms: 100000 records/s
// one of the first per rate (including an unlimited one), one of the second per interval
// when the grid has limited rates. Stability should be monotonic (neighbours.h), so the
// answer is the point from which every longer interval (every lower rate) was stable too:
// a stable point below an unstable one is not trusted, and the line says so with
// " (flagged: stable at 100 ms but not at 250 ms)". The answer's own contradiction with its
// neighbours on the other axis, if it remained, is flagged as well. A rate or interval
// with no such point gets "none of <what was tried>". Pure.
#pragma once

#include <string>
#include <vector>

#include "bench/tune/points.h"

namespace sluice::tune {

std::vector<std::string> verdictLines(const std::vector<PointSummary>& points);

}  // namespace sluice::tune
