#include "master/web_ui.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/http_server.h"
#include "common/ui/html_table.h"
#include "common/ui/page_layout.h"
#include "common/ui/units.h"

namespace sluice::master {
namespace {

using nlohmann::json;

std::string webAddress(const WorkerInfo& w) {
  return w.web_url.empty() ? "http://" + w.host + ":" + std::to_string(w.web_port) : w.web_url;
}

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
          {"cores", a.coresShown()},
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

using ui::Cell;
using ui::Row;

// Spark's "(kill)" next to a running app: a form that POSTs what /app/kill/ needs (a link
// would be a GET, which the master refuses: no prefetch or crawler may kill). With
// auth.enabled only a user with the modify right gets past the master's check.
std::string killForm(const std::string& app_id) {
  return "<form class=\"kill\" action=\"/app/kill/\" method=\"post\">"
         "<input type=\"hidden\" name=\"id\" value=\"" + htmlEscape(app_id) + "\">"
         "<input type=\"hidden\" name=\"terminate\" value=\"true\">"
         "<button type=\"submit\" title=\"kill this application\">kill</button></form>";
}

// Running apps link their name to the driver's UI (Spark's MasterPage does the same).
Row appRow(const ApplicationInfo& a, int64_t now_ms) {
  const bool running = a.end_ms <= 0;
  std::string name = running && !a.desc.app_ui_url.empty() ? ui::link(a.desc.app_ui_url, a.desc.name)
                                                           : htmlEscape(a.desc.name);
  return {htmlEscape(a.id()) + (running ? " " + killForm(a.id()) : std::string()), name, Cell(std::to_string(a.coresShown()), "num"),
          Cell(ui::formatMiB(a.desc.executor_memory_mb), "num"), htmlEscape(formatDate(a.start_ms)),
          a.user.empty() ? Cell("-", "muted") : Cell(htmlEscape(a.user)), rpc::appStateName(a.state),
          Cell(ui::formatDuration(duration(a, now_ms)), "num")};
}

Row driverRow(const DriverInfo& d) {
  return {htmlEscape(d.id), htmlEscape(formatDate(d.submit_ms)), htmlEscape(d.worker_id.empty() ? "None" : d.worker_id),
          rpc::driverStateName(d.state), Cell(std::to_string(d.desc.driver_cores), "num"),
          Cell(ui::formatMiB(d.desc.driver_memory_mb), "num"), htmlEscape(d.desc.app_file_name), htmlEscape(d.message)};
}

Row workerRow(const WorkerInfo& w, int64_t now_ms) {
  const bool alive = w.state == rpc::WorkerState::kAlive;
  return {ui::link(webAddress(w), w.id), htmlEscape(w.host) + ":" + std::to_string(rpc::portOf(w.endpoint)),
          Cell(rpc::workerStateName(w.state), alive ? "ok" : "bad"),
          Cell(std::to_string(w.cores) + " (" + std::to_string(w.cores_used) + " used)", "num"),
          Cell(ui::formatMiB(w.memory_mb) + " (" + ui::formatMiB(w.memory_used_mb) + " used)", "num"),
          Cell(ui::formatDuration(now_ms - w.last_heartbeat_ms) + " ago", "num")};
}

std::string section(const std::string& title, size_t n, const std::string& table) {
  return "<h2>" + htmlEscape(title) + " (" + std::to_string(n) + ")</h2>\n" + table;
}

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
  std::vector<Row> workers, active, completed, drivers, done;
  for (const auto& [_, w] : s.workers) {
    workers.push_back(workerRow(w, now_ms));
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

  ui::PageLayout layout{"Sluice Master", s.url, {}, "", 0};
  std::ostringstream os;
  os << ui::pageStart(layout) << "<h1>Sluice Master at " << htmlEscape(s.url) << "</h1>\n"
     << "<ul class=\"facts\"><li><b>URL:</b> " << htmlEscape(s.url) << "</li>"
     << "<li><b>Alive workers:</b> " << alive << "</li>"
     << "<li><b>Cores in use:</b> " << cores << " total, " << cores_used << " used</li>"
     << "<li><b>Memory in use:</b> " << ui::formatMiB(memory) << " total, " << ui::formatMiB(memory_used) << " used</li>"
     << "<li><b>Applications:</b> " << active.size() << " running, " << completed.size() << " completed</li>"
     << "<li><b>Drivers:</b> " << drivers.size() << " running, " << done.size() << " completed</li>"
     << "<li><b>Status:</b> " << htmlEscape(s.status) << "</li>"
     << "<li><a href=\"/json\">JSON</a></li></ul>\n";
  const std::vector<std::string> app_head = {"Application ID", "Name", "Cores", "Memory per Executor",
                                             "Submitted Time", "User", "State", "Duration"};
  const std::vector<std::string> driver_head = {"Submission ID", "Submitted Time", "Worker", "State",
                                                "Cores", "Memory", "Application", "Message"};
  os << section("Workers", workers.size(),
                ui::htmlTable({"Worker Id", "Address", "State", "Cores", "Memory", "Last Heartbeat"}, workers, "none",
                              "workers"))
     << section("Running Applications", active.size(), ui::htmlTable(app_head, active, "none", "running-apps"))
     << section("Running Drivers", drivers.size(), ui::htmlTable(driver_head, drivers))
     << section("Completed Applications", completed.size(), ui::htmlTable(app_head, completed, "none", "completed-apps"))
     << section("Completed Drivers", done.size(), ui::htmlTable(driver_head, done)) << ui::pageEnd(layout);
  return os.str();
}

}  // namespace sluice::master
