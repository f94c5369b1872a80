#include "worker/web_ui.h"

#include <httplib.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "common/prometheus_text.h"
#include "rpc/transport.h"
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

void executorRows(std::ostringstream& out, const std::vector<ExecutorStatus>& list) {
  out << "<table border=1 cellpadding=4><tr><th>executor</th><th>application</th><th>cores</th>"
         "<th>memory (MiB)</th><th>state</th><th>logs</th></tr>\n";
  for (const auto& e : list) {
    out << "<tr><td>" << htmlEscape(e.executor_id) << "</td><td>" << htmlEscape(e.app_id) << "</td><td>" << e.cores
        << "</td><td>" << e.memory_mb << "</td><td>" << rpc::executorStateName(e.state)
        << (e.message.empty() ? "" : " (" + htmlEscape(e.message) + ")") << "</td><td>" << htmlEscape(e.work_dir)
        << "/{stdout,stderr}</td></tr>\n";
  }
  out << "</table>\n";
}

void driverRows(std::ostringstream& out, const std::vector<DriverStatus>& list) {
  out << "<table border=1 cellpadding=4><tr><th>driver</th><th>application</th><th>state</th>"
         "<th>logs</th></tr>\n";
  for (const auto& d : list) {
    out << "<tr><td>" << htmlEscape(d.driver_id) << "</td><td>" << htmlEscape(d.app_file_name) << "</td><td>"
        << rpc::driverStateName(d.state) << (d.message.empty() ? "" : " (" + htmlEscape(d.message) + ")")
        << "</td><td>" << htmlEscape(d.work_dir) << "/{stdout,stderr}</td></tr>\n";
  }
  out << "</table>\n";
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
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>Sluice worker " << htmlEscape(s.id)
      << "</title></head><body>\n<h1>Sluice worker " << htmlEscape(s.id) << "</h1>\n<ul>\n"
      << "<li>endpoint: " << htmlEscape(s.endpoint) << "</li>\n"
      << "<li>master: " << htmlEscape(s.master_url) << (s.registered ? " (registered)" : " (not registered)")
      << "</li>\n<li>cores: " << s.cores << " (" << s.coresUsed() << " used)</li>\n"
      << "<li>memory: " << s.memory_mb << " MiB (" << s.memoryUsed() << " MiB used)</li>\n"
      << "<li><a href=\"/json\">JSON</a></li>\n</ul>\n";
  out << "<h2>Running executors (" << s.executors.size() << ")</h2>\n";
  executorRows(out, s.executors);
  out << "<h2>Running drivers (" << s.drivers.size() << ")</h2>\n";
  driverRows(out, s.drivers);
  out << "<h2>Finished executors (" << s.finished_executors.size() << ")</h2>\n";
  executorRows(out, s.finished_executors);
  out << "<h2>Finished drivers (" << s.finished_drivers.size() << ")</h2>\n";
  driverRows(out, s.finished_drivers);
  out << "</body></html>\n";
  return out.str();
}

WebUi::WebUi(std::function<WorkerStatus()> snapshot)
    : snapshot_(std::move(snapshot)), http_(2) {  // two threads are plenty for a status page
  http_.server().Get("/json", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderWorkerJson(snapshot_()), "application/json");
  });
  http_.server().Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderWorkerHtml(snapshot_()), "text/html; charset=utf-8");
  });
  http_.server().Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(renderWorkerMetrics(snapshot_()), PrometheusText::kContentType);
  });
}

WebUi::~WebUi() { stop(); }

StatusOr<int> WebUi::start(const std::string& host, int port) {
  return http_.start(host, port, 0, "worker web UI (--webui-port)");
}

void WebUi::stop() { http_.stop(); }

}  // namespace sluice::worker
