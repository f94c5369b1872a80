#include "bench/tune/csv_writer.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace sluice::tune {
namespace {

std::vector<std::string> linesOf(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// A run with a warm-up batch, two measured batches (one still queued) and its verdict.
RunOutcome sampleRun(const std::string& id, int64_t rate) {
  RunOutcome o;
  RunMeasurement& r = o.run;
  r.spec = {id, 250, rate, 1, 1};
  r.first_batch_ms = 10'000;
  r.warm_end_ms = 10'500;
  r.measure_end_ms = 11'000;
  r.end_poll_ms = 11'010;
  r.log_prefix = "logs/" + id;
  r.batches = {{10'250, "COMPLETED", 7, 0, 40, 40},
               {10'750, "COMPLETED", 8, 1, 41, 42},
               {11'000, "QUEUED", 9, -1, -1, -1}};
  o.verdict = judgeRun(r, {.min_batches = 1});
  return o;
}

}  // namespace

TEST_CASE("tune csv: fields with a comma, quote or newline are quoted") {
  CHECK(csvRow({"a", "b c", ""}) == "a,b c,");
  CHECK(csvRow({"x,y", "say \"hi\"", "two\nlines"}) == "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"");
}

TEST_CASE("tune csv: batches.csv has a row for every batch of every run, unknown delays empty") {
  auto dir = std::filesystem::temp_directory_path() / ("tune-csv-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<RunOutcome> runs{sampleRun("i250ms-r100-n1", 100),
                               sampleRun("i250ms-unlimited-n1", 0)};
  REQUIRE(writeBatchesCsv((dir / "batches.csv").string(), runs).isOk());
  auto lines = linesOf((dir / "batches.csv").string());
  REQUIRE(lines.size() == 1 + 3 + 3);
  CHECK(lines[0] ==
        "run_id,interval_ms,rate,repeat,attempt,phase,batch_time_ms,batch_offset_s,status,records,"
        "scheduling_delay_ms,processing_time_ms,total_delay_ms");
  CHECK(lines[1] == "i250ms-r100-n1,250,100,1,1,warmup,10250,-0.250,COMPLETED,7,0,40,40");
  CHECK(lines[2] == "i250ms-r100-n1,250,100,1,1,measured,10750,0.250,COMPLETED,8,1,41,42");
  CHECK(lines[3] == "i250ms-r100-n1,250,100,1,1,measured,11000,0.500,QUEUED,9,,,");
  CHECK(lines[4].rfind("i250ms-unlimited-n1,250,0,1,1,warmup,", 0) == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("tune csv: summary.csv has one row per run with its verdict and the point's") {
  auto dir =
      std::filesystem::temp_directory_path() / ("tune-summary-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<RunOutcome> runs{sampleRun("i250ms-r100-n1", 100)};
  auto points = summarizePoints(runs);
  points[0].contradiction = "stable at 250 ms but not at 500 ms, it says";
  REQUIRE(writeSummaryCsv((dir / "summary.csv").string(), runs, points).isOk());
  auto lines = linesOf((dir / "summary.csv").string());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        "run_id,interval_ms,rate,repeat,attempt,measured_batches,p50_total_delay_ms,p99_total_"
        "delay_ms,"
        "scheduling_trend_ms_per_s,scheduling_growth_ms,queued_at_end,sustained_records_per_s,"
        "processed_records_per_s,offered_records_per_s,machine_stalls,worst_machine_stall_ms,"
        "stable,why,point_stable,point_flag,driver_log");
  // Two measured batches: 42 ms and the queued one's 10 ms so far; 8 + 9 records in 0.5 s
  // of stream; 8 records completed within the measured 0.5 s; 100 records/s offered, so not
  // sustained.
  CHECK(lines[1].rfind("i250ms-r100-n1,250,100,1,1,2,10,42,", 0) == 0);
  CHECK(lines[1].find(",0,34,16,100,0,0,no,sustained 34 of the 100 records/s offered (below 90 %),no,"
                      "\"stable at 250 ms but not at 500 ms, it says\",logs/i250ms-r100-n1") !=
        std::string::npos);
  CHECK_FALSE(writeSummaryCsv((dir / "no-such-dir" / "summary.csv").string(), runs, points).isOk());
  std::filesystem::remove_all(dir);
}

}  // namespace sluice::tune
