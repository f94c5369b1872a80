// report.html: the sweep on one page (verdicts, the plots, the points and runs with
// why each is or is not stable, every run's timeline, links to the CSVs and driver
// logs). Every link is relative to the out dir, so the directory can be moved or
// copied elsewhere and still read.
#pragma once

#include <string>
#include <vector>

#include "bench/tune/plots.h"
#include "bench/tune/points.h"
#include "bench/tune/tune_options.h"
#include "common/status.h"

namespace sluice::tune {

struct ReportContent {
  const TuneOptions* options = nullptr;
  const std::vector<RunOutcome>* outcomes = nullptr;
  const std::vector<PointSummary>* points = nullptr;
  std::vector<std::string> verdicts;
  PlotFiles plots;
  std::string started;  // "2026-12-07 06:40 UTC"
  std::string finished;
  std::string note;  // e.g. "interrupted after 3 of 8 runs"; "" for none
};

// Writes the page to path; IoError when it cannot.
Status writeHtmlReport(const std::string& path, const ReportContent& content);

}  // namespace sluice::tune
