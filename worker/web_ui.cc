#include "worker/web_ui.h"

#include <httplib.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "rpc/transport.h"

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

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void executorRows(std::ostringstream& out, const std::vector<ExecutorStatus>& list) {
  out << "<table border=1 cellpadding=4><tr><th>executor</th><th>application</th><th>cores</th>"
         "<th>memory (MiB)</th><th>state</th><th>logs</th></tr>\n";
  for (const auto& e : list) {
    out << "<tr><td>" << escape(e.executor_id) << "</td><td>" << escape(e.app_id) << "</td><td>" << e.cores
        << "</td><td>" << e.memory_mb << "</td><td>" << rpc::executorStateName(e.state)
        << (e.message.empty() ? "" : " (" + escape(e.message) + ")") << "</td><td>" << escape(e.work_dir)
        << "/{stdout,stderr}</td></tr>\n";
  }
  out << "</table>\n";
}

void driverRows(std::ostringstream& out, const std::vector<DriverStatus>& list) {
  out << "<table border=1 cellpadding=4><tr><th>driver</th><th>application</th><th>state</th>"
         "<th>logs</th></tr>\n";
  for (const auto& d : list) {
    out << "<tr><td>" << escape(d.driver_id) << "</td><td>" << escape(d.app_file_name) << "</td><td>"
        << rpc::driverStateName(d.state) << (d.message.empty() ? "" : " (" + escape(d.message) + ")")
        << "</td><td>" << escape(d.work_dir) << "/{stdout,stderr}</td></tr>\n";
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
  out << "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>Sluice worker " << escape(s.id)
      << "</title></head><body>\n<h1>Sluice worker " << escape(s.id) << "</h1>\n<ul>\n"
      << "<li>endpoint: " << escape(s.endpoint) << "</li>\n"
      << "<li>master: " << escape(s.master_url) << (s.registered ? " (registered)" : " (not registered)")
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

class WebUi::Impl {
 public:
  explicit Impl(std::function<WorkerStatus()> snapshot) : snapshot_(std::move(snapshot)) {
    // Two threads are plenty for a status page; httplib's default is one per core, at least 8.
    server_.new_task_queue = [] { return new httplib::ThreadPool(2); };
    server_.Get("/json", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(renderWorkerJson(snapshot_()), "application/json");
    });
    server_.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(renderWorkerHtml(snapshot_()), "text/html; charset=utf-8");
    });
  }

  StatusOr<int> start(const std::string& host, int port, int max_retries) {
    int bound = -1;
    if (port == 0) {
      bound = server_.bind_to_any_port(host);
    } else {
      for (int p = port; p <= port + max_retries && bound < 0; ++p) {
        if (server_.bind_to_port(host, p)) bound = p;
        else spdlog::warn("web UI: cannot bind {}:{}; trying the next port", host, p);
      }
    }
    if (bound <= 0) {
      return Status::unavailable("web UI: cannot bind " + host + ":" + std::to_string(port) +
                                 (port ? " or the " + std::to_string(max_retries) + " ports after it" : ""));
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the server runs: wait for it, so that stop() always ends it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return bound;
  }

  void stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

 private:
  std::function<WorkerStatus()> snapshot_;
  httplib::Server server_;
  std::thread thread_;
};

WebUi::WebUi(std::function<WorkerStatus()> snapshot) : impl_(std::make_unique<Impl>(std::move(snapshot))) {}
WebUi::~WebUi() { stop(); }
StatusOr<int> WebUi::start(const std::string& host, int port, int max_retries) {
  return impl_->start(host, port, max_retries);
}
void WebUi::stop() { impl_->stop(); }

}  // namespace sluice::worker
