#include "driver/ui/status_pages.h"

#include "common/http_server.h"
#include "common/ui/html_table.h"
#include "common/ui/units.h"
#include "driver/ui/status_json.h"

namespace sluice {
namespace {

// The shared look's units (common/ui/units.h): "2026/12/07 11:52:08", "1.2 s", "1.5 MiB".
std::string date(int64_t ms) { return ms >= 0 ? htmlEscape(ui::formatTimestamp(ms)) : "-"; }

std::string duration(int64_t start_ms, int64_t end_ms) {
  return start_ms < 0 || end_ms < 0 ? "-" : ui::formatDuration(end_ms - start_ms);
}

std::string bytes(int64_t n) { return ui::formatBytes(n); }

// "done/total" tasks, with failures and kills when there were any.
std::string progress(int64_t done, int64_t total, const TaskCounts& t) {
  std::string s = std::to_string(done) + "/" + std::to_string(total);
  if (t.failed) s += " (" + std::to_string(t.failed) + " failed)";
  if (t.killed) s += " (" + std::to_string(t.killed) + " killed)";
  return s;
}

// A heading with the row count, then the table (rows of already-escaped cells).
std::string htmlTable(const std::string& title, const std::vector<std::string>& head,
                      const std::vector<std::vector<std::string>>& rows) {
  std::vector<ui::Row> cells;
  for (const auto& r : rows) cells.emplace_back(r.begin(), r.end());
  return "<h2>" + htmlEscape(title) + " (" + std::to_string(rows.size()) + ")</h2>\n" + ui::htmlTable(head, cells);
}

}  // namespace

std::string jobsPage(const std::vector<JobUiData>& jobs) {
  std::vector<std::vector<std::string>> active, done, failed;
  for (const auto& j : jobs) {
    std::string status = jobStatusName(j.status);
    if (!j.error.empty()) status += ": " + j.error;
    std::vector<std::string> row = {
        std::to_string(j.job_id), htmlEscape(j.name), htmlEscape(j.group), date(j.submission_ms),
        duration(j.submission_ms, j.completion_ms),
        std::to_string(j.num_completed_stages) + "/" + std::to_string(j.stage_ids.size() - j.num_skipped_stages),
        progress(j.tasks.completed, j.num_tasks - j.num_skipped_tasks, j.tasks), htmlEscape(status)};
    (j.status == JobUiData::Status::kRunning ? active : j.status == JobUiData::Status::kFailed ? failed : done)
        .push_back(std::move(row));
  }
  std::vector<std::string> head = {"Job Id", "Description", "Job Group", "Submitted", "Duration",
                                   "Stages: Succeeded/Total", "Tasks: Succeeded/Total", "Status"};
  return htmlTable("Active Jobs", head, active) + htmlTable("Completed Jobs", head, done) +
         htmlTable("Failed Jobs", head, failed);
}

std::string stagesPage(const std::vector<StageUiData>& stages) {
  std::vector<std::vector<std::string>> active, done, failed;
  for (const auto& s : stages) {
    std::vector<std::string> row = {
        std::to_string(s.stage_id) + (s.attempt_id ? " (retry " + std::to_string(s.attempt_id) + ")" : ""),
        htmlEscape(s.pool.empty() ? "default" : s.pool), htmlEscape(s.name), date(s.submission_ms),
        duration(s.submission_ms, s.completion_ms), progress(s.num_completed_indices, s.num_tasks, s.tasks),
        bytes(s.shuffle_read_bytes), bytes(s.shuffle_write_bytes), htmlEscape(s.failure)};
    (s.status == StageUiData::Status::kActive ? active : s.status == StageUiData::Status::kFailed ? failed : done)
        .push_back(std::move(row));
  }
  std::vector<std::string> head = {"Stage Id", "Pool Name", "Description", "Submitted", "Duration",
                                   "Tasks: Succeeded/Total", "Shuffle Read", "Shuffle Write", "Failure Reason"};
  return htmlTable("Active Stages", head, active) + htmlTable("Completed Stages", head, done) +
         htmlTable("Failed Stages", head, failed);
}

std::string executorsPage(const std::vector<ExecutorUiData>& executors) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : executors) {
    rows.push_back({htmlEscape(e.id), htmlEscape(e.host_port), std::to_string(e.total_cores),
                    std::to_string(e.tasks.completed), std::to_string(e.tasks.failed), std::to_string(e.tasks.killed),
                    duration(0, e.total_duration_ms), bytes(e.shuffle_read_bytes), bytes(e.shuffle_write_bytes),
                    date(e.add_ms)});
  }
  return htmlTable("Executors", {"Executor ID", "Address", "Cores", "Complete Tasks", "Failed Tasks", "Killed Tasks",
                                 "Task Time", "Shuffle Read", "Shuffle Write", "Added"},
                   rows);
}

std::string environmentPage(const nlohmann::json& environment) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& kv : environment["sparkProperties"]) {
    rows.push_back({htmlEscape(kv[0].get<std::string>()), htmlEscape(kv[1].get<std::string>())});
  }
  return htmlTable("Properties", {"Name", "Value"}, rows);
}

}  // namespace sluice
