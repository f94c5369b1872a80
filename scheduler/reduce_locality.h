// Reduce-side locality (Spark's `shuffle.reduceLocality.enabled`, default true): a reduce
// task prefers the executors that hold the largest share of its shuffle's map outputs.
#pragma once

#include <string>
#include <vector>

#include "rpc/executor_messages.h"

namespace sluice {

// Executors holding at least a fifth of the outputs, most first, as "executor:<id>", each
// followed by its host. Empty for no outputs or for shuffles of 1000 maps or more (the
// preference is then not worth computing, as in Spark).
std::vector<std::string> reducerPreferredLocations(const std::vector<rpc::MapLocation>& outputs);

}  // namespace sluice
