// The master's status page and its JSON (Spark's MasterPage and JsonProtocol field names),
// rendered from a MasterState the caller holds locked.
#pragma once

#include <cstdint>
#include <string>

#include "master/master_state.h"

namespace sluice::master {

// GET /json: url, workers[], aliveworkers, cores, coresused, memory, memoryused,
// activeapps[], completedapps[], activedrivers[], completeddrivers[], status.
std::string renderJson(const MasterState& state, int64_t now_ms);

// GET /: one self-contained HTML page (no scripts), a kill button (a form that POSTs to
// /app/kill/) beside each running application. GET /metrics: master_metrics.h.
std::string renderHtml(const MasterState& state, int64_t now_ms);

}  // namespace sluice::master
