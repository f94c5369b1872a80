#include "bench/tune/app_process.h"

#include <signal.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace sluice::tune {
namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

StatusOr<std::unique_ptr<AppProcess>> AppProcess::start(const std::vector<std::string>& argv,
                                                        const std::string& log_prefix) {
  SpawnOptions opts;
  opts.argv = argv;
  opts.stdout_path = log_prefix + ".out";
  opts.stderr_path = log_prefix + ".err";
  opts.die_with_parent = true;
  auto pid = spawnProcess(opts);
  if (!pid) return pid.status();
  return std::unique_ptr<AppProcess>(new AppProcess(*pid, opts.stderr_path));
}

AppProcess::~AppProcess() {
  if (!exit_) stop(std::chrono::milliseconds(0));
}

std::optional<ExitInfo> AppProcess::exited() {
  if (!exit_) exit_ = pollExit(pid_);
  return exit_;
}

std::optional<std::string> AppProcess::restUrl() const {
  static const std::regex kLine(R"(REST API at (http://[0-9A-Za-z.\-]+:[0-9]+))");
  std::string err = readAll(err_path_);
  std::smatch m;
  if (!std::regex_search(err, m, kLine)) return std::nullopt;
  return m[1].str();
}

std::string AppProcess::stderrTail(int lines) const {
  std::istringstream in(readAll(err_path_));
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string tail;
  for (size_t i = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0; i < all.size();
       ++i)
    tail += all[i] + "\n";
  return tail;
}

ExitInfo AppProcess::stop(std::chrono::milliseconds timeout) {
  if (exited()) return *exit_;
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (exited()) return *exit_;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (exited()) return *exit_;
  ::kill(pid_, SIGKILL);
  exit_ = waitExit(pid_);
  return *exit_;
}

}  // namespace sluice::tune
