#include "bench/tune/sweep.h"

#include <spdlog/fmt/fmt.h>

#include "bench/tune/grid.h"
#include "bench/tune/neighbours.h"
#include "bench/tune/run.h"
#include "bench/tune/verdict_lines.h"

namespace sluice::tune {
namespace {

std::string oneLine(const RunOutcome& o) {
  const RunVerdict& v = o.verdict;
  return fmt::format("{}: {} ({})", o.run.spec.run_id, v.stable ? "stable" : "not stable", v.why);
}

// Runs specs in order, appending to result; false when the sweep must stop.
bool runAll(const std::vector<RunSpec>& specs, const TuneOptions& options,
            const std::string& submit_path, SweepProgress& progress, int& index,
            SweepResult& result) {
  for (const auto& spec : specs) {
    progress.beginRun(++index, spec.run_id);
    RunResult r = runOnce(options, submit_path, spec, progress);
    progress.endRun();
    if (r.failure == RunFailure::kInterrupted) {
      result.interrupted = true;
      result.note = fmt::format("interrupted during run {} ({}); the runs before it are reported",
                                index, spec.run_id);
      return false;
    }
    bool any_started = false;
    for (const auto& o : result.outcomes) any_started |= !o.run.batches.empty();
    if (r.failure == RunFailure::kWrongInterval ||
        (r.failure == RunFailure::kStartup && !any_started)) {
      result.fatal = Status::aborted(spec.run_id + ": " + r.measurement.error);
      result.note = "stopped: " + r.measurement.error;
      result.outcomes.push_back({r.measurement, judgeRun(r.measurement, options.criteria)});
      return false;
    }
    RunOutcome o{r.measurement, judgeRun(r.measurement, options.criteria)};
    progress.note(oneLine(o));
    result.outcomes.push_back(std::move(o));
  }
  return true;
}

}  // namespace

SweepResult runSweep(const TuneOptions& options, const std::string& submit_path,
                     SweepProgress& progress) {
  SweepResult result;
  auto specs = firstAttempt(options);
  int total = static_cast<int>(specs.size()), index = 0;
  progress.setTotal(total);
  bool complete = runAll(specs, options, submit_path, progress, index, result);
  result.points = summarizePoints(result.outcomes);
  auto contradictions = findContradictions(result.points);
  if (complete && options.remeasure && !contradictions.empty()) {
    std::vector<PointKey> again;
    std::string which;
    for (const auto& c : contradictions) {
      again.push_back(c.point);
      which += "\n  " + c.message;
    }
    progress.note(fmt::format("measuring {} points again, which contradict their neighbours:{}",
                              again.size(), which));
    auto second = remeasurement(again, options.repeat, 2);
    progress.setTotal(total + static_cast<int>(second.size()));
    runAll(second, options, submit_path, progress, index, result);
    result.points = summarizePoints(result.outcomes);
    contradictions = findContradictions(result.points);
  }
  for (const auto& c : contradictions)
    for (auto& p : result.points)
      if (p.key == c.point) p.contradiction = c.message;
  result.verdicts = verdictLines(result.points);
  progress.finish();
  return result;
}

}  // namespace sluice::tune
