// The sweep's answer, as lines for stdout and the report:
//   shortest stable interval at 50000 records/s: 250 ms
//   highest sustainable rate at interval 250 ms: 100000 records/s
// one of the first per rate (including an unlimited one), one of the second per interval
// when the grid has limited rates. A point whose contradiction with its neighbours
// remained gets " (flagged: <why>)"; a rate or interval with no stable point gets
// "none of <what was tried>".
#pragma once

#include <string>
#include <vector>

#include "bench/tune/points.h"

namespace sluice::tune {

std::vector<std::string> verdictLines(const std::vector<PointSummary>& points);

}  // namespace sluice::tune
