// The sweep: every run of the grid (grid.h), each judged (stability.h); then the points
// that contradict their neighbours (neighbours.h) measured once more; then the verdicts.
#pragma once

#include <string>
#include <vector>

#include "bench/tune/points.h"
#include "bench/tune/progress.h"
#include "bench/tune/tune_options.h"
#include "common/status.h"

namespace sluice::tune {

struct SweepResult {
  std::vector<RunOutcome> outcomes;  // in the order run; an interrupted run is left out
  std::vector<PointSummary> points;  // with the contradictions that remained
  std::vector<std::string> verdicts;
  bool interrupted = false;  // Ctrl-C: the sweep stopped early
  Status fatal;              // stopped early because every run would fail the same way
  std::string note;          // what stopped it early, "" when it ran to the end
};

// Runs the sweep to its end, to a Ctrl-C (SIGINT/SIGTERM, see interrupt.h), or to a
// failure that would repeat in every run: the application not running at the interval
// asked, or the first run not starting at all. The driver logs go to <out>/logs/, which
// must exist.
SweepResult runSweep(const TuneOptions& options, const std::string& submit_path,
                     SweepProgress& progress);

}  // namespace sluice::tune
