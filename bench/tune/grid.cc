#include "bench/tune/grid.h"

#include <algorithm>
#include <chrono>
#include <regex>

#include "common/conf.h"

namespace sluice::tune {

std::string runId(int64_t interval_ms, int64_t rate, int repeat, int attempt) {
  std::string id = "i" + std::to_string(interval_ms) + "ms-" +
                   (rate > 0 ? "r" + std::to_string(rate) : "unlimited") + "-n" +
                   std::to_string(repeat);
  return attempt > 1 ? id + "-a" + std::to_string(attempt) : id;
}

namespace {

RunSpec spec(int64_t interval_ms, int64_t rate, int repeat, int attempt) {
  return {runId(interval_ms, rate, repeat, attempt), interval_ms, rate, repeat, attempt};
}

}  // namespace

std::vector<RunSpec> firstAttempt(const TuneOptions& options) {
  std::vector<int64_t> rates = options.rates.empty() ? std::vector<int64_t>{0} : options.rates;
  std::vector<RunSpec> runs;
  for (int repeat = 1; repeat <= options.repeat; ++repeat)
    for (int64_t rate : rates)
      for (int64_t interval : options.intervals_ms) runs.push_back(spec(interval, rate, repeat, 1));
  return runs;
}

std::vector<RunSpec> remeasurement(const std::vector<PointKey>& points, int repeat, int attempt) {
  std::vector<RunSpec> runs;
  for (int n = 1; n <= repeat; ++n)
    for (const auto& p : points) runs.push_back(spec(p.interval_ms, p.rate, n, attempt));
  return runs;
}

std::vector<std::string> substitutePlaceholders(const std::vector<std::string>& args,
                                                const RunSpec& spec) {
  static const std::regex kFraction(R"(\{interval_ms/([1-9][0-9]*)\})");
  const std::pair<std::string, std::string> values[] = {
      {"{interval_ms}", std::to_string(spec.interval_ms)},
      {"{interval}", formatDuration(std::chrono::milliseconds(spec.interval_ms))},
      {"{rate}", std::to_string(spec.rate)}};
  std::vector<std::string> out;
  for (std::string arg : args) {
    for (const auto& [name, value] : values)
      for (size_t at = arg.find(name); at != std::string::npos;
           at = arg.find(name, at + value.size()))
        arg.replace(at, name.size(), value);
    std::smatch m;
    while (std::regex_search(arg, m, kFraction)) {
      int64_t part = std::max<int64_t>(1, spec.interval_ms / std::stoll(m[1].str()));
      arg.replace(m.position(0), m.length(0), std::to_string(part));
    }
    out.push_back(arg);
  }
  return out;
}

std::vector<std::string> submitCommand(const TuneOptions& options, const std::string& submit_path,
                                       const RunSpec& spec) {
  std::vector<std::string> argv{submit_path, "--master", options.master};
  argv.insert(argv.end(), options.submit_flags.begin(), options.submit_flags.end());
  argv.insert(argv.end(), {"--conf", "ui.port=0"});
  for (const auto& kv : substitutePlaceholders(options.confs, spec))
    argv.insert(argv.end(), {"--conf", kv});
  argv.insert(argv.end(),
              {"--conf", "streaming.batchDuration=" +
                             formatDuration(std::chrono::milliseconds(spec.interval_ms))});
  if (spec.rate > 0)
    argv.insert(argv.end(), {"--conf", "streaming.receiver.maxRate=" + std::to_string(spec.rate)});
  argv.push_back(options.app_path);
  auto args = substitutePlaceholders(options.app_args, spec);
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace sluice::tune
