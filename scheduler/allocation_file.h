// The fair scheduler allocation file (Spark's fairscheduler.xml), named by
// `scheduler.allocation.file`:
//
//   <allocations>
//     <pool name="production">
//       <schedulingMode>FAIR</schedulingMode>  <!-- FIFO (default) or FAIR -->
//       <weight>2</weight>                     <!-- default 1, >= 0 -->
//       <minShare>1</minShare>                 <!-- default 0, >= 0 -->
//     </pool>
//   </allocations>
//
// Unknown elements inside a pool are ignored with a warning, as Spark does.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "scheduler/pool.h"

namespace sluice {

// The pools of an allocation file's text. A malformed file (bad XML, a pool without a
// name or defined twice, a bad mode, weight or minShare) is one error naming the line.
StatusOr<std::vector<PoolConfig>> parseAllocations(const std::string& xml);
// Reads and parses path; errors start with "allocation file <path>: ".
StatusOr<std::vector<PoolConfig>> loadAllocationFile(const std::string& path);

}  // namespace sluice
