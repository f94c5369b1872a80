// A point of the sweep with one run, stable or not: the input of the neighbour and verdict tests.
#pragma once

#include <cstdint>

#include "bench/tune/points.h"

namespace sluice::tune::testing {

inline PointSummary point(int64_t interval, int64_t rate, bool stable) {
  PointSummary p;
  p.key = {interval, rate};
  p.runs = 1;
  p.stable_runs = stable ? 1 : 0;
  p.stable = stable;
  return p;
}

}  // namespace sluice::tune::testing
