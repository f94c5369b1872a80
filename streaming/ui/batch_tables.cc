#include "streaming/ui/batch_tables.h"

#include <algorithm>

#include "common/ui/html_table.h"
#include "common/ui/units.h"

namespace sluice {
namespace {

using ui::Cell;
using ui::Row;

Cell num(const std::string& text, const std::string& extra = "") {
  return Cell(text, extra.empty() ? "num" : "num " + extra);
}

}  // namespace

std::string batchTime(const StreamingProgress& p, int64_t batch_time_ms) {
  return ui::formatTimestamp(batch_time_ms, p.batch_duration_ms % 1000 != 0);
}

std::string outputOpsSummary(const BatchInfo& b) {
  int done = 0, failed = 0;
  for (const auto& [id, op] : b.output_ops) {
    if (op.end_ms < 0) continue;
    (op.failure.empty() ? done : failed) += 1;
  }
  std::string s = std::to_string(done) + "/" + std::to_string(b.output_ops.size());
  if (failed > 0) s += " (" + std::to_string(failed) + " failed)";
  return s;
}

std::string activeBatchesTable(const StreamingProgress& p, const StreamingPageQuery& q,
                               int64_t now_ms) {
  std::vector<const BatchInfo*> batches;
  for (const auto& b : p.active) batches.push_back(&b);
  std::sort(batches.begin(), batches.end(),
            [](auto* a, auto* b) { return a->batch_time < b->batch_time; });
  ui::PageSlice slice = ui::pageSlice(batches.size(), q.active_page, kBatchesPerPage);
  std::vector<Row> rows;
  for (size_t i = slice.begin; i < slice.end; ++i) {
    const BatchInfo& b = *batches[i];
    const bool running = b.processing_start_ms >= 0;
    rows.push_back(
        {ui::link(batchHref(b.batch_time), batchTime(p, b.batch_time)),
         num(ui::formatCount(b.num_records) + " records"),
         num(ui::formatDuration(b.schedulingDelayMs())),
         num(running ? ui::formatDuration(std::max<int64_t>(0, now_ms - b.processing_start_ms))
                     : "-"),
         num(outputOpsSummary(b)),
         Cell(running ? "processing" : "queued", running ? "ok" : "warn")});
  }
  return ui::htmlTable({"Batch Time", "Input Size", "Scheduling Delay", "Processing Time (so far)",
                        "Output Ops: Succeeded/Total", "Status"},
                       rows, "no active batches") +
         ui::pageLinks(slice, "?page=" + std::to_string(q.page) + "&activePage=");
}

std::string completedBatchesTable(const StreamingProgress& p, const StreamingPageQuery& q) {
  ui::PageSlice slice = ui::pageSlice(p.completed.size(), q.page, kBatchesPerPage);
  std::vector<Row> rows;
  // p.completed is oldest first; the table is newest first.
  for (size_t i = slice.begin; i < slice.end; ++i) {
    const BatchInfo& b = p.completed[p.completed.size() - 1 - i];
    const bool late = b.totalDelayMs() > p.batch_duration_ms;
    rows.push_back({ui::link(batchHref(b.batch_time), batchTime(p, b.batch_time)),
                    num(ui::formatCount(b.num_records) + " records"),
                    num(ui::formatDuration(b.schedulingDelayMs())),
                    num(ui::formatDuration(b.processingTimeMs())),
                    num(ui::formatDuration(b.totalDelayMs()), late ? "bad" : ""),
                    num(outputOpsSummary(b))});
  }
  return ui::htmlTable({"Batch Time", "Input Size", "Scheduling Delay", "Processing Time",
                        "Total Delay", "Output Ops: Succeeded/Total"},
                       rows, "no completed batches yet") +
         ui::pageLinks(slice, "?activePage=" + std::to_string(q.active_page) + "&page=");
}

}  // namespace sluice
