#include "bench/tune/csv_writer.h"

#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <fstream>

namespace sluice::tune {
namespace {

std::string orEmpty(int64_t v) { return v >= 0 ? std::to_string(v) : ""; }

// Writes the header and rows; the error names the path.
Status writeCsv(const std::string& path, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return Status::ioError("cannot create " + path);
  out << csvRow(header) << '\n';
  for (const auto& r : rows) out << csvRow(r) << '\n';
  out.flush();
  if (!out) return Status::ioError("cannot write " + path);
  return Status::ok();
}

}  // namespace

std::string csvRow(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\n\r") == std::string::npos) {
      line += f;
      continue;
    }
    line += '"';
    for (char c : f) line += c == '"' ? std::string("\"\"") : std::string(1, c);
    line += '"';
  }
  return line;
}

Status writeBatchesCsv(const std::string& path, const std::vector<RunOutcome>& outcomes) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : outcomes) {
    const RunMeasurement& r = o.run;
    for (const auto& b : r.batches) {
      rows.push_back(
          {r.spec.run_id, std::to_string(r.spec.interval_ms), std::to_string(r.spec.rate),
           std::to_string(r.spec.repeat), std::to_string(r.spec.attempt), phaseName(r.phaseOf(b)),
           std::to_string(b.batch_time_ms),
           fmt::format("{:.3f}", static_cast<double>(b.batch_time_ms - r.warm_end_ms) / 1000.0),
           b.status, std::to_string(b.records), orEmpty(b.scheduling_delay_ms),
           orEmpty(b.processing_time_ms), orEmpty(b.total_delay_ms)});
    }
  }
  return writeCsv(path,
                  {"run_id", "interval_ms", "rate", "repeat", "attempt", "phase", "batch_time_ms",
                   "batch_offset_s", "status", "records", "scheduling_delay_ms",
                   "processing_time_ms", "total_delay_ms"},
                  rows);
}

Status writeSummaryCsv(const std::string& path, const std::vector<RunOutcome>& outcomes,
                       const std::vector<PointSummary>& points) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : outcomes) {
    const RunSpec& s = o.run.spec;
    const RunVerdict& v = o.verdict;
    const PointSummary* point = nullptr;
    for (const auto& p : points)
      if (p.key == PointKey{s.interval_ms, s.rate}) point = &p;
    std::string point_verdict = !point                        ? ""
                                : point->attempt != s.attempt ? "re-measured"
                                : point->stable               ? "yes"
                                                              : "no";
    std::string flag = point && point->attempt == s.attempt ? point->contradiction : "";
    rows.push_back(
        {s.run_id, std::to_string(s.interval_ms), std::to_string(s.rate), std::to_string(s.repeat),
         std::to_string(s.attempt), std::to_string(v.measured_batches),
         orEmpty(v.p50_total_delay_ms), orEmpty(v.p99_total_delay_ms),
         fmt::format("{:.2f}", std::round(v.scheduling_trend_ms_per_s * 100) / 100 + 0.0),
         rounded(v.scheduling_growth_ms), std::to_string(v.queued_at_end),
         fmt::format("{:.0f}", v.sustained_per_s), fmt::format("{:.0f}", v.processed_per_s),
         v.offered_per_s > 0 ? fmt::format("{:.0f}", v.offered_per_s) : "",
         std::to_string(v.machine_stalls), std::to_string(v.worst_machine_stall_ms),
         v.stable ? "yes" : "no",
         v.why, point_verdict, flag, o.run.log_prefix});
  }
  return writeCsv(
      path,
      {"run_id", "interval_ms", "rate", "repeat", "attempt", "measured_batches",
       "p50_total_delay_ms", "p99_total_delay_ms", "scheduling_trend_ms_per_s",
       "scheduling_growth_ms", "queued_at_end", "sustained_records_per_s", "processed_records_per_s",
       "offered_records_per_s", "machine_stalls", "worst_machine_stall_ms",
       "stable", "why", "point_stable", "point_flag", "driver_log"},
      rows);
}

}  // namespace sluice::tune
