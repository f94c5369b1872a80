#include "common/process_metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sluice {
namespace {

// The fields of /proc/self/stat after the command name (which may hold spaces), so that
// field N of proc(5) is fields[N - 3].
std::vector<std::string> statFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

// Seconds since the epoch at boot, from /proc/stat's btime; -1 when unknown.
double bootTimeSeconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = -1;
      in >> t;
      return t;
    }
    in.ignore(1 << 20, '\n');
  }
  return -1;
}

}  // namespace

void writeProcessMetrics(PrometheusText& out) {
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  auto fields = statFields();
  // proc(5): utime 14, stime 15, starttime 22, vsize 23, rss 24.
  if (fields.size() > 21 && ticks > 0) {
    double cpu = (std::stod(fields[14 - 3]) + std::stod(fields[15 - 3])) / ticks;
    out.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", cpu);
    out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", std::stod(fields[23 - 3]));
    out.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", std::stod(fields[24 - 3]) * page);
    if (double boot = bootTimeSeconds(); boot >= 0) {
      out.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                boot + std::stod(fields[22 - 3]) / ticks);
    }
  }
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    ++fds;
  }
  if (!ec) out.gauge("process_open_fds", "Number of open file descriptors.", fds);
}

}  // namespace sluice
