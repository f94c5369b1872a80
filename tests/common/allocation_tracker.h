// Counts the heap allocations of the test binary that links allocation_tracker.cc (it
// replaces the global operator new/delete): the largest single request since reset(). Lets
// a unit test assert that decoding a hostile input never asked for a large block.
#pragma once

#include <cstddef>

namespace sluice::testing {

// Thread-safe. Forgets what was seen so far.
void resetLargestAllocation();
// The largest single operator new request, in bytes, since the last reset.
std::size_t largestAllocation();

}  // namespace sluice::testing
