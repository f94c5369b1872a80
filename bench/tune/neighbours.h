// The neighbour check: stability should be monotonic over the grid. At one rate, a longer
// interval gives each batch more time, so a point stable at a shorter interval but not
// at a longer one contradicts its neighbour; at one interval, likewise a point stable at
// a higher rate but not at a lower one. Such a verdict is noise (a disturbed run), and the
// sweep measures both points again once; a contradiction that remains is flagged.
#pragma once

#include <string>
#include <vector>

#include "bench/tune/points.h"

namespace sluice::tune {

struct Contradiction {
  PointKey point;
  std::string message;  // "stable at 100 ms but not at 250 ms (rate 50000 records/s)"
};

// Every point that takes part in a contradiction, once each, in the order of points,
// with a message naming all the neighbours it contradicts. Pure.
std::vector<Contradiction> findContradictions(const std::vector<PointSummary>& points);

}  // namespace sluice::tune
