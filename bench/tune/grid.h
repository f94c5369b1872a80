// The sweep's grid: which runs to make, in which order, and each run's arguments.
#pragma once

#include <string>
#include <vector>

#include "bench/tune/points.h"
#include "bench/tune/run_record.h"
#include "bench/tune/tune_options.h"

namespace sluice::tune {

// The runs of a first attempt: repeat by repeat, and within a repeat rate by rate, each
// rate's intervals in the order given, so that the repeats of a point are spread over
// the sweep instead of all meeting the same disturbance of the machine. Without rates,
// one unlimited rate (0).
std::vector<RunSpec> firstAttempt(const TuneOptions& options);
// The runs that measure these points again, as attempt `attempt`.
std::vector<RunSpec> remeasurement(const std::vector<PointKey>& points, int repeat, int attempt);

// "i250ms-r50000-n1" (rate 0: "i250ms-unlimited-n1"), "-a2" appended for attempt 2.
std::string runId(int64_t interval_ms, int64_t rate, int repeat, int attempt);

// args with the placeholders replaced: {interval_ms} ("250"), {interval} ("250ms"),
// {rate} ("50000", "0" when not limited) and {interval_ms/N} (the interval divided by the
// integer N, at least 1: "--conf streaming.blockInterval={interval_ms/2}").
std::vector<std::string> substitutePlaceholders(const std::vector<std::string>& args,
                                                const RunSpec& spec);

// The sluice-submit command line of a run: the submit flags, the run's configuration
// (ui.port=0 first, the user's --conf after it, the interval and rate last), the app and
// its arguments; placeholders are replaced in the --conf values and the arguments.
std::vector<std::string> submitCommand(const TuneOptions& options, const std::string& submit_path,
                                       const RunSpec& spec);

}  // namespace sluice::tune
