#include "streaming/ui/batch_page.h"

#include <sstream>

#include "common/http_server.h"
#include "common/ui/html_table.h"
#include "common/ui/page_layout.h"
#include "common/ui/units.h"
#include "streaming/ui/batch_tables.h"

namespace sluice {
namespace {

using ui::Cell;
using ui::Row;

const BatchInfo* findBatch(const StreamingProgress& p, int64_t t) {
  for (const auto& b : p.active)
    if (b.batch_time == t) return &b;
  for (const auto& b : p.completed)
    if (b.batch_time == t) return &b;
  return nullptr;
}

const char* statusOf(const BatchInfo& b) {
  if (b.processing_end_ms >= 0) return "completed";
  return b.processing_start_ms >= 0 ? "processing" : "queued";
}

std::string facts(const StreamingProgress& p, const BatchInfo& b) {
  const bool late = b.totalDelayMs() > p.batch_duration_ms;
  std::ostringstream os;
  os << "<ul class=\"facts\">"
     << "<li><b>Status:</b> " << statusOf(b) << "</li>"
     << "<li><b>Batch duration:</b> " << ui::formatDuration(p.batch_duration_ms) << "</li>"
     << "<li><b>Input size:</b> " << ui::formatCount(b.num_records) << " records</li>"
     << "<li><b>Scheduling delay:</b> " << ui::formatDuration(b.schedulingDelayMs()) << "</li>"
     << "<li><b>Processing time:</b> " << ui::formatDuration(b.processingTimeMs()) << "</li>"
     << "<li><b>Total delay:</b> <span class=\"" << (late ? "bad" : "ok") << "\">"
     << ui::formatDuration(b.totalDelayMs()) << "</span></li>"
     << "<li><b>Output operations:</b> " << outputOpsSummary(b) << "</li></ul>\n";
  return os.str();
}

std::string streamsTable(const StreamingProgress& p, const BatchInfo& b) {
  std::vector<Row> rows;
  const double seconds = static_cast<double>(std::max<int64_t>(1, p.batch_duration_ms)) / 1000.0;
  for (const auto& [stream, records] : b.records_per_stream) {
    std::string name = "stream " + std::to_string(stream);
    for (const auto& r : p.receivers)
      if (r.stream_id == stream) name = r.name + " (" + name + ")";
    rows.push_back({htmlEscape(name), Cell(ui::formatCount(records), "num"),
                    Cell(ui::formatRate(static_cast<double>(records) / seconds), "num")});
  }
  return ui::htmlTable({"Input Stream", "Records", "Rate"}, rows, "no input streams", "streams");
}

std::string outputOpsTable(const BatchInfo& b, int64_t now_ms) {
  std::vector<Row> rows;
  for (const auto& [id, op] : b.output_ops) {
    Cell status = op.start_ms < 0      ? Cell("queued", "warn")
                  : op.end_ms < 0      ? Cell("running", "ok")
                  : op.failure.empty() ? Cell("succeeded", "ok")
                                       : Cell("failed", "bad");
    const int64_t duration = op.end_ms >= 0     ? op.durationMs()
                             : op.start_ms >= 0 ? now_ms - op.start_ms
                                                : -1;
    rows.push_back({Cell(std::to_string(id), "num"), htmlEscape(op.name),
                    op.description.empty() ? Cell("-", "muted") : Cell(htmlEscape(op.description)),
                    status, Cell(ui::formatDuration(duration), "num"),
                    op.failure.empty() ? Cell("-", "muted") : Cell(htmlEscape(op.failure), "bad")});
  }
  return ui::htmlTable({"Output Op Id", "Name", "Description", "Status", "Duration", "Error"}, rows,
                       "no output operations", "output-ops");
}

std::string jobsTable(const BatchInfo& b) {
  std::vector<Row> rows;
  for (const auto& [id, job] : b.jobs) {
    Cell status = job.running()   ? Cell("running", "ok")
                  : job.succeeded ? Cell("succeeded", "ok")
                                  : Cell("failed", "bad");
    std::string stages = std::to_string(job.num_stages);
    if (job.num_skipped_stages > 0)
      stages += " (" + std::to_string(job.num_skipped_stages) + " skipped)";
    rows.push_back({Cell(std::to_string(id), "num"), status,
                    Cell(ui::formatDuration(job.duration_ms), "num"), Cell(stages, "num"),
                    Cell(ui::formatCount(job.num_tasks), "num"),
                    job.error.empty() ? Cell("-", "muted") : Cell(htmlEscape(job.error), "bad")});
  }
  return ui::htmlTable({"Job Id", "Status", "Duration", "Stages", "Tasks", "Error"}, rows,
                       "no jobs recorded", "jobs");
}

std::string localityTable(const BatchInfo& b) {
  std::vector<Row> rows;
  int64_t total = 0;
  for (const auto& [level, n] : b.tasks_by_locality) total += n;
  for (const auto& [level, n] : b.tasks_by_locality) {
    rows.push_back({htmlEscape(level), Cell(ui::formatCount(n), "num"),
                    Cell(std::to_string(total ? (100 * n + total / 2) / total : 0) + " %", "num")});
  }
  return ui::htmlTable({"Locality Level", "Tasks", "Share"}, rows, "no tasks ended yet",
                       "locality");
}

}  // namespace

std::optional<std::string> renderBatchPage(const StreamingProgress& p, const DriverPageInfo& app,
                                           int64_t batch_time_ms, int64_t now_ms) {
  const BatchInfo* b = findBatch(p, batch_time_ms);
  if (!b) return std::nullopt;
  ui::PageLayout layout{"Sluice", app.app_name + " (" + app.app_id + ")", ui::driverTabs({kStreamingTab}),
                        "Streaming", b->processing_end_ms >= 0 ? 0 : 5};
  std::ostringstream os;
  os << ui::pageStart(layout) << "<p><a href=\"/streaming/\">&larr; Streaming Statistics</a></p>"
     << "<h1>Details of batch at " << batchTime(p, b->batch_time) << "</h1>\n"
     << facts(p, *b) << "<h2>Input</h2>\n"
     << streamsTable(p, *b) << "<h2>Output Operations (" << b->output_ops.size() << ")</h2>\n"
     << outputOpsTable(*b, now_ms) << "<h2>Jobs (" << b->jobs.size() << ")</h2>\n"
     << jobsTable(*b) << "<h2>Tasks by Locality</h2>\n"
     << localityTable(*b) << ui::pageEnd(layout);
  return os.str();
}

}  // namespace sluice
