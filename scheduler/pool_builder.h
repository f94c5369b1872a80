// Builds the root of the scheduling tree from the configuration (Spark's
// FIFOSchedulableBuilder and FairSchedulableBuilder):
//   scheduler.mode            FIFO (default) or FAIR
//   scheduler.allocation.file the FAIR pools (allocation_file.h); optional
// In FIFO mode the root holds the task sets and pool names are ignored. In FAIR mode the
// root holds one pool per name; "default" and any name not in the file get FIFO, weight 1,
// minShare 0.
#pragma once

#include <memory>
#include <string>

#include "common/conf.h"
#include "scheduler/pool.h"

namespace sluice {

inline constexpr const char* kDefaultPoolName = "default";

// The root pool, or the configuration error (a bad mode, an unreadable or malformed file).
StatusOr<std::unique_ptr<Pool>> buildRootPool(const Conf& conf);

// Where a task set of the named pool ("" = default) goes; creates a missing FAIR pool.
Pool* poolFor(Pool& root, const std::string& pool_name);

}  // namespace sluice
