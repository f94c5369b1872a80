// The plots drawn by gnuplot from made-up runs: what goes into their data files, and that
// the PNGs are written. Needs gnuplot with pngcairo (scripts/install-deps.sh installs it);
// without it the test says so and checks nothing.
#include "bench/tune/plots.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::tune {
namespace {

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A 1 s run whose batches complete in 300 ms until the one of 106 s hangs: it is still
// PROCESSING at the last snapshot (107.5 s), and the batch of 107 s is QUEUED behind it.
RunOutcome hangingRun() {
  RunOutcome o;
  RunMeasurement& r = o.run;
  r.spec = {"i1000ms-r100-n1", 1000, 100, 1, 1};
  r.first_batch_ms = 100'000;
  r.warm_end_ms = 102'000;
  r.measure_end_ms = 107'000;
  r.end_poll_ms = 107'500;
  r.num_receivers = 1;
  for (int64_t t = 101'000; t <= 105'000; t += 1000)
    r.batches.push_back({t, "COMPLETED", 100, 0, 300, 300});
  r.batches.push_back({106'000, "PROCESSING", 100, 0, -1, -1});
  r.batches.push_back({107'000, "QUEUED", 100, -1, -1, -1});
  o.verdict = judgeRun(r, {});
  return o;
}

}  // namespace

TEST_CASE("tune plots: a batch not completed at the end is drawn at the time it had waited") {
  if (!checkGnuplot("gnuplot").isOk()) {
    WARN("gnuplot with pngcairo is not installed: nothing checked");
    return;
  }
  auto dir = std::filesystem::temp_directory_path() / ("tune-plots-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<RunOutcome> runs{hangingRun()};
  auto points = summarizePoints(runs);
  PlotFiles files = drawPlots("gnuplot", dir.string(), runs, points);
  CHECK(files.errors.empty());
  REQUIRE(files.timelines.size() == 1);
  CHECK(files.timelines[0].second == "plots/timeline-i1000ms-r100-n1.png");
  CHECK(std::filesystem::file_size(dir / files.timelines[0].second) > 1000);
  CHECK(std::filesystem::file_size(dir / "plots/delay_vs_interval.png") > 1000);
  CHECK(std::filesystem::file_size(dir / "plots/sustained_vs_offered.png") > 1000);

  // Completed batches have their total delay and no wait; the hanging one (6 s after the
  // first batch) had waited 1.5 s at the last snapshot, the queued one 0.5 s.
  CHECK_FALSE(runs[0].verdict.stable);
  std::string dat = readAll(dir / "plots/timeline-i1000ms-r100-n1.dat");
  CHECK(dat.find("\n1.000 300 0 300 100 NaN\n") != std::string::npos);
  CHECK(dat.find("\n6.000 NaN 0 NaN 100 1500\n") != std::string::npos);
  CHECK(dat.find("\n7.000 NaN NaN NaN 100 500\n") != std::string::npos);
  std::string gp = readAll(dir / "plots/timeline-i1000ms-r100-n1.gp");
  CHECK(gp.find("title \"not completed: waited so far\"") != std::string::npos);
  CHECK(gp.find("set yrange [0:1725]") != std::string::npos);  // 1.5 s, plus 15 %
  std::filesystem::remove_all(dir);
}

}  // namespace sluice::tune
