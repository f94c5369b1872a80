// Child processes: spawn with redirected output, signal, reap. Used by the driver
// (local-cluster executors) and the worker (executors and drivers).
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice {

struct SpawnOptions {
  std::vector<std::string> argv;   // argv[0] is the program path
  std::string work_dir;            // created if missing; "" keeps the current one
  std::string stdout_path;         // "" inherits
  std::string stderr_path;         // "" inherits
  std::map<std::string, std::string> env;  // added to the parent's environment
  bool die_with_parent = true;     // PR_SET_PDEATHSIG(SIGKILL)
};

StatusOr<pid_t> spawnProcess(const SpawnOptions& options);

struct ExitInfo {
  pid_t pid = 0;
  int exit_code = -1;   // when exited normally
  int signal = 0;       // when killed by a signal
  std::string describe() const;  // "exited with code 1" / "killed by signal 9 (Killed)"
};

// Non-blocking reap of one child; nullopt while it runs.
std::optional<ExitInfo> pollExit(pid_t pid);
// Blocks until the child ends.
ExitInfo waitExit(pid_t pid);

// The directory of the running executable (from /proc/self/exe).
std::string selfExeDir();
// Finds a Sluice binary: $SLUICE_BIN_DIR, next to this executable, then $PATH.
std::string findSluiceBinary(const std::string& name);

}  // namespace sluice
