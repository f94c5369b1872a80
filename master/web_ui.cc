#include "master/web_ui.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/http_server.h"

namespace sluice::master {
namespace {

using nlohmann::json;

std::string webAddress(const WorkerInfo& w) { return "http://" + w.host + ":" + std::to_string(w.web_port); }

int64_t duration(const ApplicationInfo& a, int64_t now_ms) {
  return (a.end_ms > 0 ? a.end_ms : now_ms) - a.start_ms;
}

json workerJson(const WorkerInfo& w) {
  return {{"id", w.id},
          {"host", w.host},
          {"port", rpc::portOf(w.endpoint)},
          {"webuiaddress", webAddress(w)},
          {"cores", w.cores},
          {"coresused", w.cores_used},
          {"coresfree", w.coresFree()},
          {"memory", w.memory_mb},
          {"memoryused", w.memory_used_mb},
          {"memoryfree", w.memoryFree()},
          {"state", rpc::workerStateName(w.state)},
          {"lastheartbeat", w.last_heartbeat_ms}};
}

json appJson(const ApplicationInfo& a, int64_t now_ms) {
  return {{"id", a.id()},
          {"starttime", a.start_ms},
          {"name", a.desc.name},
          {"cores", a.coresGranted()},
          {"user", a.user},
          {"memoryperexecutor", a.desc.executor_memory_mb},
          {"memoryperslave", a.desc.executor_memory_mb},
          {"submitdate", formatDate(a.start_ms)},
          {"state", rpc::appStateName(a.state)},
          {"duration", duration(a, now_ms)}};
}

json driverJson(const DriverInfo& d) {
  return {{"id", d.id},
          {"starttime", std::to_string(d.submit_ms)},
          {"state", rpc::driverStateName(d.state)},
          {"cores", d.desc.driver_cores},
          {"memory", d.desc.driver_memory_mb},
          {"submitdate", formatDate(d.submit_ms)},
          {"worker", d.worker_id.empty() ? std::string("None") : d.worker_id},
          {"mainclass", d.desc.app_file_name}};
}

std::string formatMb(int64_t mb) {
  std::ostringstream os;
  if (mb >= 1024) {
    os.precision(1);
    os << std::fixed << mb / 1024.0 << " GiB";
  } else {
    os << mb << " MiB";
  }
  return os.str();
}

std::string formatDuration(int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms < 60'000) return std::to_string(ms / 1000) + " s";
  if (ms < 3'600'000) return std::to_string(ms / 60'000) + " min";
  return std::to_string(ms / 3'600'000) + " h";
}

// One <table>: header cells, then rows of already-escaped cells.
void table(std::ostringstream& os, const std::string& title, const std::vector<std::string>& head,
           const std::vector<std::vector<std::string>>& rows) {
  os << "<h2>" << htmlEscape(title) << " (" << rows.size() << ")</h2>\n<table><tr>";
  for (const auto& h : head) os << "<th>" << h << "</th>";
  os << "</tr>\n";
  if (rows.empty()) os << "<tr><td colspan=\"" << head.size() << "\" class=\"none\">none</td></tr>\n";
  for (const auto& r : rows) {
    os << "<tr>";
    for (const auto& c : r) os << "<td>" << c << "</td>";
    os << "</tr>\n";
  }
  os << "</table>\n";
}

std::vector<std::string> appRow(const ApplicationInfo& a, int64_t now_ms) {
  return {htmlEscape(a.id()), htmlEscape(a.desc.name), std::to_string(a.coresGranted()), formatMb(a.desc.executor_memory_mb),
          htmlEscape(formatDate(a.start_ms)), htmlEscape(a.user), rpc::appStateName(a.state), formatDuration(duration(a, now_ms))};
}

std::vector<std::string> driverRow(const DriverInfo& d) {
  return {htmlEscape(d.id), htmlEscape(formatDate(d.submit_ms)), htmlEscape(d.worker_id.empty() ? "None" : d.worker_id),
          rpc::driverStateName(d.state), std::to_string(d.desc.driver_cores), formatMb(d.desc.driver_memory_mb),
          htmlEscape(d.desc.app_file_name), htmlEscape(d.message)};
}

constexpr const char* kStyle = R"(<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; min-width: 60%; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; font-size: 0.9em; }
th { background: #eef; } tr:nth-child(even) td { background: #f8f8f8; }
td.none { color: #888; font-style: italic; } ul.summary li { margin: 2px 0; }
</style>)";

}  // namespace

std::string renderJson(const MasterState& s, int64_t now_ms) {
  json workers = json::array();
  int alive = 0, cores = 0, cores_used = 0;
  int64_t memory = 0, memory_used = 0;
  for (const auto& [_, w] : s.workers) {
    workers.push_back(workerJson(w));
    if (w.state != rpc::WorkerState::kAlive) continue;
    ++alive;
    cores += w.cores;
    cores_used += w.cores_used;
    memory += w.memory_mb;
    memory_used += w.memory_used_mb;
  }
  json active = json::array(), completed = json::array(), drivers = json::array(), done = json::array();
  for (const auto& id : s.app_order) active.push_back(appJson(s.apps.at(id), now_ms));
  for (auto it = s.completed_apps.rbegin(); it != s.completed_apps.rend(); ++it) completed.push_back(appJson(*it, now_ms));
  for (const auto& [_, d] : s.drivers) drivers.push_back(driverJson(d));
  for (auto it = s.completed_drivers.rbegin(); it != s.completed_drivers.rend(); ++it) done.push_back(driverJson(*it));
  json out = {{"url", s.url},
              {"workers", workers},
              {"aliveworkers", alive},
              {"cores", cores},
              {"coresused", cores_used},
              {"memory", memory},
              {"memoryused", memory_used},
              {"activeapps", active},
              {"completedapps", completed},
              {"activedrivers", drivers},
              {"completeddrivers", done},
              {"status", s.status}};
  return out.dump(2);
}

std::string renderHtml(const MasterState& s, int64_t now_ms) {
  int alive = 0, cores = 0, cores_used = 0;
  int64_t memory = 0, memory_used = 0;
  std::vector<std::vector<std::string>> workers, active, completed, drivers, done;
  for (const auto& [_, w] : s.workers) {
    workers.push_back({htmlEscape(w.id), htmlEscape(w.host) + ":" + std::to_string(rpc::portOf(w.endpoint)),
                       "<a href=\"" + htmlEscape(webAddress(w)) + "\">" + htmlEscape(webAddress(w)) + "</a>",
                       rpc::workerStateName(w.state),
                       std::to_string(w.cores) + " (" + std::to_string(w.cores_used) + " used)",
                       formatMb(w.memory_mb) + " (" + formatMb(w.memory_used_mb) + " used)",
                       formatDuration(now_ms - w.last_heartbeat_ms) + " ago"});
    if (w.state != rpc::WorkerState::kAlive) continue;
    ++alive;
    cores += w.cores;
    cores_used += w.cores_used;
    memory += w.memory_mb;
    memory_used += w.memory_used_mb;
  }
  for (const auto& id : s.app_order) active.push_back(appRow(s.apps.at(id), now_ms));
  for (auto it = s.completed_apps.rbegin(); it != s.completed_apps.rend(); ++it) completed.push_back(appRow(*it, now_ms));
  for (const auto& [_, d] : s.drivers) drivers.push_back(driverRow(d));
  for (auto it = s.completed_drivers.rbegin(); it != s.completed_drivers.rend(); ++it) done.push_back(driverRow(*it));

  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Sluice Master at " << htmlEscape(s.url)
     << "</title>\n" << kStyle << "</head><body>\n<h1>Sluice Master at " << htmlEscape(s.url) << "</h1>\n"
     << "<ul class=\"summary\"><li><b>URL:</b> " << htmlEscape(s.url) << "</li>"
     << "<li><b>Alive workers:</b> " << alive << "</li>"
     << "<li><b>Cores in use:</b> " << cores << " total, " << cores_used << " used</li>"
     << "<li><b>Memory in use:</b> " << formatMb(memory) << " total, " << formatMb(memory_used) << " used</li>"
     << "<li><b>Applications:</b> " << active.size() << " running, " << completed.size() << " completed</li>"
     << "<li><b>Drivers:</b> " << drivers.size() << " running, " << done.size() << " completed</li>"
     << "<li><b>Status:</b> " << htmlEscape(s.status) << "</li></ul>\n";
  const std::vector<std::string> app_head = {"Application ID", "Name", "Cores", "Memory per Executor",
                                             "Submitted Time", "User", "State", "Duration"};
  const std::vector<std::string> driver_head = {"Submission ID", "Submitted Time", "Worker", "State",
                                                "Cores", "Memory", "Application", "Message"};
  table(os, "Workers", {"Worker Id", "Address", "Web UI", "State", "Cores", "Memory", "Last Heartbeat"}, workers);
  table(os, "Running Applications", app_head, active);
  table(os, "Running Drivers", driver_head, drivers);
  table(os, "Completed Applications", app_head, completed);
  table(os, "Completed Drivers", driver_head, done);
  os << "</body></html>\n";
  return os.str();
}

}  // namespace sluice::master
