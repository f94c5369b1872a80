// The sweep's plots, drawn by gnuplot as PNG files in <out>/plots/:
//   delay_vs_interval.png     p50 and p99 total delay against the interval, one pair of
//                             lines per rate, with the line "total delay = interval"
//   sustained_vs_offered.png  records/s processed (of the batches that completed in the
//                             measured period) against offered, one line per interval,
//                             with "processed = offered" (only when the grid has rates)
//   timeline-<run_id>.png     one per run: each batch's total delay, scheduling delay and
//                             processing time against its time, the interval, and the
//                             marks where the warm-up and the measured period end; the
//                             y range fits the batches after the warm-up
// Each PNG has its data (.dat) and script (.gp) beside it, so that it can be redrawn by
// hand (cd plots && gnuplot x.gp); gnuplot's messages go to plots/gnuplot.log. Filled
// points are stable runs or points, open ones are not.
#pragma once

#include <string>
#include <vector>

#include "bench/tune/points.h"
#include "common/status.h"

namespace sluice::tune {

struct PlotFiles {
  // Paths relative to the out dir ("plots/delay_vs_interval.png"); empty when not drawn.
  std::string delay_vs_interval;
  std::string sustained_vs_offered;
  std::vector<std::pair<std::string, std::string>> timelines;  // run id, path
  std::vector<std::string> errors;  // one line per plot that could not be drawn
};

// Whether `gnuplot` runs and has the pngcairo terminal; Unavailable, saying what to
// install, when not.
Status checkGnuplot(const std::string& gnuplot);

// Draws every plot; a plot that fails is named in .errors and the others are still drawn.
PlotFiles drawPlots(const std::string& gnuplot, const std::string& out_dir,
                    const std::vector<RunOutcome>& outcomes,
                    const std::vector<PointSummary>& points);

}  // namespace sluice::tune
