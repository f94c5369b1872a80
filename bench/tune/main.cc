// sluice-tune: sweeps a streaming application over batch intervals and input rates and
// reports the shortest stable interval (sluice-tune --help; bench/README.md "sluice-tune").
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench/tune/csv_writer.h"
#include "bench/tune/html_report.h"
#include "bench/tune/interrupt.h"
#include "bench/tune/plots.h"
#include "bench/tune/sweep.h"
#include "bench/tune/tune_options.h"
#include "common/logging.h"
#include "common/process.h"

namespace fs = std::filesystem;
using namespace sluice::tune;

namespace {

std::string utcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

int fail(const std::string& message, int code = 2) {
  std::cerr << "sluice-tune: " << message << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parseTuneOptions(argc, argv);
  if (!parsed) return fail(parsed.status().message() + " (see sluice-tune --help)");
  if (parsed->help) {
    std::cout << parsed->help_text << "\n";
    return 0;
  }
  TuneOptions& options = parsed->options;
  sluice::initLogging("sluice-tune", "warn");  // to stderr: stdout has the verdicts only
  if (!fs::is_regular_file(options.app_path))
    return fail("no application library at " + options.app_path);
  std::string submit =
      options.submit_path.empty() ? sluice::findSluiceBinary("sluice-submit") : options.submit_path;
  if (::access(submit.c_str(), X_OK) != 0)
    return fail("cannot run sluice-submit at '" + submit +
                "' (pass --submit PATH or put it on $PATH)");
  if (options.plots) {
    if (auto st = checkGnuplot(options.gnuplot); !st) return fail(st.message());
  }
  std::error_code ec;
  fs::create_directories(options.out_dir + "/logs", ec);
  if (ec) return fail("cannot create " + options.out_dir + "/logs: " + ec.message());

  installInterruptHandler();
  std::string started = utcNow();
  int runs =
      static_cast<int>(options.intervals_ms.size() * std::max<size_t>(1, options.rates.size())) *
      options.repeat;
  std::cerr << "sluice-tune: " << runs << " runs (" << options.intervals_ms.size()
            << " intervals x " << std::max<size_t>(1, options.rates.size()) << " rates x "
            << options.repeat << " repeats), " << options.warmup.count() / 1000.0 << " s warm-up + "
            << options.measure.count() / 1000.0 << " s measured each; files in " << options.out_dir
            << "\n";
  SweepProgress progress(
      stderr, ::isatty(STDERR_FILENO) != 0,
      std::chrono::duration_cast<std::chrono::seconds>(options.warmup + options.measure) +
          std::chrono::seconds(10));
  SweepResult result = runSweep(options, submit, progress);

  // The files, whatever the sweep got through.
  int code = result.interrupted ? 130 : result.fatal.isOk() ? 0 : 1;
  for (auto [name, st] :
       {std::pair{"batches.csv",
                  writeBatchesCsv(options.out_dir + "/batches.csv", result.outcomes)},
        std::pair{"summary.csv", writeSummaryCsv(options.out_dir + "/summary.csv", result.outcomes,
                                                 result.points)}})
    if (!st) code = fail(st.message(), 1);
  PlotFiles plots;
  if (options.plots)
    plots = drawPlots(options.gnuplot, options.out_dir, result.outcomes, result.points);
  for (const auto& e : plots.errors) std::cerr << "sluice-tune: plot not drawn: " << e << "\n";
  std::ofstream verdicts(options.out_dir + "/verdicts.txt", std::ios::trunc);
  for (const auto& v : result.verdicts) verdicts << v << "\n";
  if (!result.note.empty()) verdicts << result.note << "\n";
  ReportContent content{&options, &result.outcomes, &result.points, result.verdicts,
                        plots,    started,          utcNow(),       result.note};
  if (auto st = writeHtmlReport(options.out_dir + "/report.html", content); !st)
    code = fail(st.message(), 1);

  if (!result.note.empty()) std::cerr << "sluice-tune: " << result.note << "\n";
  for (const auto& v : result.verdicts) std::cout << v << "\n";
  std::cout.flush();
  std::cerr << "sluice-tune: report in " << options.out_dir << "/report.html\n";
  return code;
}
