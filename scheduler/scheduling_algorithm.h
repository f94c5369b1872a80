// FIFO and FAIR: the two orders of a pool's children (Spark's SchedulingAlgorithm). Each
// comparator is a strict weak order, "a is served before b".
//
// FIFO: lower job id first, then lower stage id.
// FAIR: a schedulable below its minShare comes before one that is not; between two below
// their minShare, the lower running/minShare ratio first; otherwise the lower
// running/weight ratio first; ties go to the lower name.
#pragma once

#include <string>

#include "common/status.h"
#include "scheduler/schedulable.h"

namespace sluice {

enum class SchedulingMode { kFifo, kFair };

// "FIFO" or "FAIR" (any case); anything else is an error naming the accepted values.
StatusOr<SchedulingMode> parseSchedulingMode(const std::string& text);
const char* schedulingModeName(SchedulingMode mode);

bool fifoBefore(const Schedulable& a, const Schedulable& b);
bool fairBefore(const Schedulable& a, const Schedulable& b);
bool scheduledBefore(SchedulingMode mode, const Schedulable& a, const Schedulable& b);

}  // namespace sluice
