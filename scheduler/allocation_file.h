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
// Unknown elements and attributes are ignored, as Spark does, with a WARN line each.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "scheduler/pool.h"

namespace sluice {

// The pools of an allocation file's text. A malformed file (bad XML, a pool without a
// name or defined twice, a bad mode, weight or minShare) is one error that names the line
// and what is wrong there. source names the text in the WARN lines about what is ignored.
StatusOr<std::vector<PoolConfig>> parseAllocations(const std::string& xml,
                                                    const std::string& source = "allocation file");
// Reads and parses path; errors start with "allocation file <path>: ".
StatusOr<std::vector<PoolConfig>> loadAllocationFile(const std::string& path);

}  // namespace sluice
