// AppProcess: one sluice-submit of the sweep, from launch to a stop that leaves nothing
// behind. Its stdout and stderr go to <log_prefix>.out and .err. The child runs in its own
// process group (a Ctrl-C at the terminal reaches sluice-tune only, which then stops it)
// and is SIGKILLed by the kernel if sluice-tune dies first (common/process.h); its
// executors die with it the same way.
// THREADING: one owner thread. The destructor stops a process still running with SIGKILL.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/process.h"
#include "common/status.h"

namespace sluice::tune {

class AppProcess {
 public:
  // IoError when the process cannot be started.
  static StatusOr<std::unique_ptr<AppProcess>> start(const std::vector<std::string>& argv,
                                                     const std::string& log_prefix);
  ~AppProcess();
  AppProcess(const AppProcess&) = delete;
  AppProcess& operator=(const AppProcess&) = delete;

  // How it ended, once it has (reaped on the first call that sees it); nullopt while it runs.
  std::optional<ExitInfo> exited();
  // The driver's "REST API at http://host:port" URL, once its stderr has it.
  std::optional<std::string> restUrl() const;
  // The last `lines` lines of its stderr, for error messages.
  std::string stderrTail(int lines) const;
  // SIGTERM (the driver stops through its shutdown hooks), then SIGKILL when it has not
  // ended within timeout. Returns how it ended; a no-op returning that once it has.
  ExitInfo stop(std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }

 private:
  AppProcess(pid_t pid, std::string err_path) : pid_(pid), err_path_(std::move(err_path)) {}

  pid_t pid_;
  std::string err_path_;
  std::optional<ExitInfo> exit_;
};

}  // namespace sluice::tune
