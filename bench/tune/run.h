// One run of the sweep: launch the application at one point (grid.h submitCommand), wait
// for its REST API and its first completed batch, let it warm up, measure, read every
// batch's metrics, and stop it. The run never outlives this call: whatever happens
// (failure, Ctrl-C), the driver is stopped (SIGTERM, SIGKILL after the stop timeout)
// before it returns.
#pragma once

#include <string>

#include "bench/tune/progress.h"
#include "bench/tune/run_record.h"
#include "bench/tune/tune_options.h"

namespace sluice::tune {

enum class RunFailure {
  kNone,
  kStartup,        // no REST API or no completed batch: probably the command line is wrong
  kWrongInterval,  // the app does not run at the interval asked (batchDuration not applied)
  kDuring,         // the app ended before the measured period was over
  kInterrupted,    // Ctrl-C (SIGINT) or SIGTERM to sluice-tune
};

struct RunResult {
  RunMeasurement measurement;  // .error says why when failure != kNone
  RunFailure failure = RunFailure::kNone;
};

// Polls the driver every 2 s (more often at intervals under 8 ms, so that none of the
// 1,000 batches the driver retains is missed) and once more at the end of the measured
// period. Writes logs/<run_id>.out, .err and .cmd (the command line) under options.out_dir,
// which must exist.
RunResult runOnce(const TuneOptions& options, const std::string& submit_path, const RunSpec& spec,
                  SweepProgress& progress);

}  // namespace sluice::tune
