// sluice-tune run for real: the benchmark app (rate source, word count) in local[2] over
// a tiny grid. Asserts on the files written and the processes left, not on timings: whether
// a point is stable depends on the machine.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <utility>

#include "tests/integration/process_util.h"

namespace sluice::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::vector<std::string>> csvRows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(readFile(path));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char c : line) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted)
        fields.push_back(std::exchange(field, ""));
      else
        field += c;
    }
    fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

std::map<std::string, size_t> columnsOf(const std::vector<std::string>& header) {
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < header.size(); ++i) at[header[i]] = i;
  return at;
}

bool isPng(const std::string& path) {
  std::string data = readFile(path);
  return data.size() > 1000 && data.compare(0, 4, "\x89PNG") == 0;
}

// sluice-submit processes running the benchmark app from sluice-tune (whatever their parent).
// The drivers of the sluice-tune that wrote into out still running: those whose command
// line names the app.name that tuneArgv(out) gives (other tests run sluice-tune at the same
// time).
size_t tunedDriversLeft(const std::string& out) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string cmd = readFile((entry.path() / "cmdline").string());
    if (cmd.find("sluice-submit") != std::string::npos &&
        cmd.find("app.name=tuned-" + out) != std::string::npos)
      ++n;
  }
  return n;
}

std::vector<std::string> tuneArgv(const std::string& out, const std::string& intervals) {
  return {binDir() + "/sluice-tune",
          "--intervals",
          intervals,
          "--rates",
          "2000",
          "--warmup",
          "1s",
          "--measure",
          "3s",
          "--min-batches",
          "1",
          "--stop-timeout",
          "20s",
          "--out",
          out,
          "--master",
          "local[2]",
          "--conf",
          "streaming.blockInterval=100ms",
          "--conf",
          "app.name=tuned-" + out,
          libDir() + "/libstreaming_bench_app.so",
          "{rate}",
          "{interval_ms}"};
}

}  // namespace

TEST_CASE(
    "sluice-tune sweeps two intervals and writes every batch, the summary, the plots and the "
    "report",
    "[integration][tune]") {
  TempDir dir("sluice-tune");
  const std::string out = dir / "out";
  Child tune(tuneArgv(out, "200ms,500ms"), dir / "tune");
  requireExitCode(tune, 0, 240s);
  INFO(tune.err());

  // The verdicts on stdout, one per rate and one per interval.
  std::string verdicts = tune.out();
  CHECK(countOf(verdicts, "shortest stable interval at 2000 records/s: ") == 1);
  CHECK(countOf(verdicts, "highest sustainable rate at interval 200 ms: ") == 1);
  CHECK(countOf(verdicts, "highest sustainable rate at interval 500 ms: ") == 1);
  CHECK(readFile(out + "/verdicts.txt") == verdicts);

  // batches.csv: every batch of both runs, none missing between the first and the last.
  auto batches = csvRows(out + "/batches.csv");
  REQUIRE(batches.size() > 1);
  auto col = columnsOf(batches[0]);
  for (const char* c : {"run_id", "interval_ms", "rate", "repeat", "phase", "batch_time_ms",
                        "records", "scheduling_delay_ms", "processing_time_ms", "total_delay_ms"})
    REQUIRE(col.count(c));
  std::map<std::string, std::vector<int64_t>> times;
  std::map<std::string, int> measured;
  for (size_t i = 1; i < batches.size(); ++i) {
    const auto& r = batches[i];
    REQUIRE(r.size() == batches[0].size());
    times[r[col["run_id"]]].push_back(std::stoll(r[col["batch_time_ms"]]));
    if (r[col["phase"]] == "measured") ++measured[r[col["run_id"]]];
    CHECK(r[col["rate"]] == "2000");
  }
  REQUIRE(times.size() == 2);
  for (auto [id, interval] :
       {std::pair{"i200ms-r2000-n1", 200}, std::pair{"i500ms-r2000-n1", 500}}) {
    INFO(id);
    REQUIRE(times.count(id));
    auto& t = times[id];
    std::sort(t.begin(), t.end());
    for (size_t i = 1; i < t.size(); ++i) CHECK(t[i] - t[i - 1] == interval);
    // 3 s measured: 15 batches of 200 ms or 6 of 500 ms.
    CHECK(measured[id] == 3000 / interval);
  }

  // summary.csv: one row per run, its measured batches as in batches.csv, a verdict and why.
  auto summary = csvRows(out + "/summary.csv");
  REQUIRE(summary.size() == 3);
  auto scol = columnsOf(summary[0]);
  std::set<std::string> ids;
  for (size_t i = 1; i < summary.size(); ++i) {
    const auto& r = summary[i];
    ids.insert(r[scol["run_id"]]);
    CHECK(std::stoi(r[scol["measured_batches"]]) == measured[r[scol["run_id"]]]);
    CHECK((r[scol["stable"]] == "yes" || r[scol["stable"]] == "no"));
    CHECK_FALSE(r[scol["why"]].empty());
    CHECK(r[scol["offered_records_per_s"]] == "2000");
    CHECK(std::stod(r[scol["sustained_records_per_s"]]) > 0);
  }
  CHECK(ids == std::set<std::string>{"i200ms-r2000-n1", "i500ms-r2000-n1"});

  // The plots, and the report linking them (relative links only).
  for (const char* png : {"delay_vs_interval.png", "sustained_vs_offered.png",
                          "timeline-i200ms-r2000-n1.png", "timeline-i500ms-r2000-n1.png"}) {
    INFO(png);
    CHECK(isPng(out + "/plots/" + png));
  }
  std::string html = readFile(out + "/report.html");
  for (const char* link :
       {"src='plots/delay_vs_interval.png'", "src='plots/sustained_vs_offered.png'",
        "src='plots/timeline-i200ms-r2000-n1.png'", "src='plots/timeline-i500ms-r2000-n1.png'",
        "href='batches.csv'", "href='summary.csv'", "href='logs/i200ms-r2000-n1.err'"})
    CHECK(countOf(html, link) >= 1);
  CHECK(countOf(html, "href='/") == 0);
  CHECK(countOf(html, "src='/") == 0);
  CHECK(countOf(readFile(out + "/logs/i500ms-r2000-n1.err"), "REST API at") == 1);
  CHECK(tunedDriversLeft(out) == 0);
}

TEST_CASE("sluice-tune on Ctrl-C stops the driver it runs and writes what it measured",
          "[integration][tune]") {
  TempDir dir("sluice-tune-int");
  const std::string out = dir / "out";
  Child tune(tuneArgv(out, "300ms,600ms"), dir / "tune");
  // Interrupt the second run once its driver serves the REST API: the first is reported.
  REQUIRE(waitFor(
      [&] { return countOf(readFile(out + "/logs/i600ms-r2000-n1.err"), "REST API at") > 0; },
      120s));
  ::kill(tune.pid(), SIGINT);
  requireExitCode(tune, 130, 60s);
  CHECK(countOf(tune.err(), "interrupted during run 2 (i600ms-r2000-n1)") >= 1);
  CHECK(tunedDriversLeft(out) == 0);
  auto summary = csvRows(out + "/summary.csv");
  REQUIRE(summary.size() == 2);
  CHECK(summary[1][0] == "i300ms-r2000-n1");
  CHECK(countOf(readFile(out + "/report.html"), "interrupted during run 2") == 1);
}

}  // namespace sluice::testing
