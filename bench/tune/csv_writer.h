// The sweep's two CSV files (their columns are in bench/tune/FORMAT.md):
//   batches.csv: one row per batch of every run, warm-up included (the `phase` column);
//   summary.csv: one row per run, i.e. per point, repeat and attempt, with its verdict.
// Fields are RFC 4180: quoted when they hold a comma, quote or newline; unknown values
// are empty. Errors (cannot create or write the file) come back as a Status.
#pragma once

#include <string>
#include <vector>

#include "bench/tune/points.h"
#include "common/status.h"

namespace sluice::tune {

// One CSV line (without the newline) of the fields, each quoted if it needs to be.
std::string csvRow(const std::vector<std::string>& fields);

Status writeBatchesCsv(const std::string& path, const std::vector<RunOutcome>& outcomes);
// points: summarizePoints(outcomes) with their contradictions, for the point columns.
Status writeSummaryCsv(const std::string& path, const std::vector<RunOutcome>& outcomes,
                       const std::vector<PointSummary>& points);

}  // namespace sluice::tune
