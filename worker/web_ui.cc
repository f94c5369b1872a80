#include "worker/web_ui.h"

#include <httplib.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "common/prometheus_text.h"
#include "common/ui/html_table.h"
#include "common/ui/page_layout.h"
#include "common/ui/units.h"
#include "rpc/transport.h"
#include "worker/log_page.h"
#include "worker/worker_metrics.h"

namespace sluice::worker {

using nlohmann::json;

namespace {

json executorJson(const ExecutorStatus& e, bool finished) {
  json j = {{"id", e.executor_id},
            {"appid", e.app_id},
            {"cores", e.cores},
            {"memory", e.memory_mb},
            {"state", rpc::executorStateName(e.state)},
            {"workdir", e.work_dir}};
  if (finished) {
    j["exitcode"] = e.exit_code;
    j["message"] = e.message;
  } else {
    j["pid"] = e.pid;
  }
  return j;
}

json driverJson(const DriverStatus& d, bool finished) {
  json j = {{"id", d.driver_id},
            {"appfile", d.app_file_name},
            {"cores", d.cores},
            {"memory", d.memory_mb},
            {"state", rpc::driverStateName(d.state)},
            {"workdir", d.work_dir}};
  if (finished) {
    j["exitcode"] = d.exit_code;
    j["message"] = d.message;
  } else {
    j["pid"] = d.pid;
  }
  return j;
}

using ui::Cell;
using ui::Row;

std::string logLinks(const std::string& ids) {
  return ui::link("/logPage?" + ids + "&logType=stdout", "stdout") + " " +
         ui::link("/logPage?" + ids + "&logType=stderr", "stderr");
}

std::string stateCell(const char* state, const std::string& message) {
  return htmlEscape(state) + (message.empty() ? "" : " <span class=\"muted\">(" + htmlEscape(message) + ")</span>");
}

std::string executorTable(const std::vector<ExecutorStatus>& list) {
  std::vector<Row> rows;
  for (const auto& e : list) {
    rows.push_back({htmlEscape(e.executor_id), htmlEscape(e.app_id), Cell(std::to_string(e.cores), "num"),
                    Cell(ui::formatMiB(e.memory_mb), "num"), stateCell(rpc::executorStateName(e.state), e.message),
                    logLinks("appId=" + e.app_id + "&executorId=" + e.executor_id)});
  }
  return ui::htmlTable({"Executor Id", "Application", "Cores", "Memory", "State", "Logs"}, rows, "none", "executors");
}

std::string driverTable(const std::vector<DriverStatus>& list) {
  std::vector<Row> rows;
  for (const auto& d : list) {
    rows.push_back({htmlEscape(d.driver_id), htmlEscape(d.app_file_name), Cell(std::to_string(d.cores), "num"),
                    Cell(ui::formatMiB(d.memory_mb), "num"), stateCell(rpc::driverStateName(d.state), d.message),
                    logLinks("driverId=" + d.driver_id)});
  }
  return ui::htmlTable({"Submission Id", "Application", "Cores", "Memory", "State", "Logs"}, rows, "none", "drivers");
}

void sendLogPage(const WorkerStatus& s, const httplib::Request& req, httplib::Response& res) {
  LogRequest r;
  r.app_id = req.get_param_value("appId");
  r.executor_id = req.get_param_value("executorId");
  r.driver_id = req.get_param_value("driverId");
  r.log_type = req.get_param_value("logType");
  const std::string bytes = req.get_param_value("byteLength");
  if (!bytes.empty() && bytes.size() < 10 && bytes.find_first_not_of("0123456789") == std::string::npos) {
    r.max_bytes = std::stoll(bytes);
  }
  auto path = logFilePath(s, r);
  auto tail = path ? readLogTail(*path, r.max_bytes) : StatusOr<LogTail>(path.status());
  if (!tail) {
    res.status = tail.status().code() == StatusCode::kInvalidArgument ? 400 : 404;
    res.set_content(tail.status().message() + "\n", "text/plain");
    return;
  }
  res.set_content(renderLogPage(s, r, *tail), "text/html; charset=utf-8");
}

}  // namespace

std::string renderWorkerJson(const WorkerStatus& s) {
  json j = {{"id", s.id},
            {"host", s.host},
            {"port", rpc::portOf(s.endpoint)},
            {"webuiaddress", s.web_url},
            {"masterurl", s.master_url},
            {"masterwebuiurl", s.master_web_url},
            {"state", s.registered ? "ALIVE" : "REGISTERING"},
            {"cores", s.cores},
            {"coresused", s.coresUsed()},
            {"coresfree", s.cores - s.coresUsed()},
            {"memory", s.memory_mb},
            {"memoryused", s.memoryUsed()},
            {"memoryfree", s.memory_mb - s.memoryUsed()}};
  json& executors = j["executors"] = json::array();
  for (const auto& e : s.executors) executors.push_back(executorJson(e, false));
  json& finished_executors = j["finishedexecutors"] = json::array();
  for (const auto& e : s.finished_executors) finished_executors.push_back(executorJson(e, true));
  json& drivers = j["drivers"] = json::array();
  for (const auto& d : s.drivers) drivers.push_back(driverJson(d, false));
  json& finished_drivers = j["finisheddrivers"] = json::array();
  for (const auto& d : s.finished_drivers) finished_drivers.push_back(driverJson(d, true));
  return j.dump(2);
}

std::string renderWorkerHtml(const WorkerStatus& s) {
  ui::PageLayout layout{"Sluice Worker", s.id, {}, "", 0};
  std::ostringstream out;
  out << ui::pageStart(layout) << "<h1>Sluice Worker " << htmlEscape(s.id) << "</h1>\n<ul class=\"facts\">"
      << "<li><b>Endpoint:</b> " << htmlEscape(s.endpoint) << "</li>"
      << "<li><b>Master:</b> " << htmlEscape(s.master_url) << " <span class=\"" << (s.registered ? "ok" : "bad")
      << "\">" << (s.registered ? "(registered)" : "(not registered)") << "</span></li>"
      << "<li><b>Cores:</b> " << s.cores << " (" << s.coresUsed() << " used)</li>"
      << "<li><b>Memory:</b> " << ui::formatMiB(s.memory_mb) << " (" << ui::formatMiB(s.memoryUsed()) << " used)</li>"
      << "<li><a href=\"/json\">JSON</a></li></ul>\n"
      << "<h2>Running Executors (" << s.executors.size() << ")</h2>\n" << executorTable(s.executors)
      << "<h2>Running Drivers (" << s.drivers.size() << ")</h2>\n" << driverTable(s.drivers)
      << "<h2>Finished Executors (" << s.finished_executors.size() << ")</h2>\n" << executorTable(s.finished_executors)
      << "<h2>Finished Drivers (" << s.finished_drivers.size() << ")</h2>\n" << driverTable(s.finished_drivers)
      << ui::pageEnd(layout);
  return out.str();
}

WebUi::WebUi(std::function<WorkerStatus()> snapshot)
    : snapshot_(std::move(snapshot)), http_(2) {  // two threads are plenty for a status page
  http_.server().Get("/json", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderWorkerJson(snapshot_()), "application/json");
  });
  http_.server().Get("/logPage/?", [this](const httplib::Request& req, httplib::Response& res) {
    sendLogPage(snapshot_(), req, res);
  });
  http_.server().Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderWorkerHtml(snapshot_()), "text/html; charset=utf-8");
  });
  http_.server().Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderWorkerMetrics(snapshot_()), PrometheusText::kContentType);
  });
}

WebUi::~WebUi() { stop(); }

StatusOr<int> WebUi::start(const std::string& host, int port, const Conf& conf) {
  if (Status st = http_.requireAuth(conf); !st) return Status::invalidArgument("worker web UI: " + st.message());
  return http_.start(host, port, 0, "worker web UI (--webui-port)");
}

void WebUi::stop() { http_.stop(); }

}  // namespace sluice::worker
