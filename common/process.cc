#include "common/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace sluice {
namespace fs = std::filesystem;

StatusOr<pid_t> spawnProcess(const SpawnOptions& options) {
  if (options.argv.empty()) return Status::invalidArgument("spawnProcess: empty argv");
  if (!options.work_dir.empty()) {
    std::error_code ec;
    fs::create_directories(options.work_dir, ec);
    if (ec) return Status::ioError("cannot create " + options.work_dir + ": " + ec.message());
  }
  std::vector<char*> argv;
  for (auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return Status::ioError(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    if (options.die_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
    }
    ::setpgid(0, 0);
    // Daemons block SIGTERM to wait for it; the child starts with every signal deliverable.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!options.work_dir.empty() && ::chdir(options.work_dir.c_str()) != 0) ::_exit(126);
    auto redirect = [](const std::string& path, int fd) {
      if (path.empty()) return;
      int f = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (f >= 0) {
        ::dup2(f, fd);
        ::close(f);
      }
    };
    redirect(options.stdout_path, STDOUT_FILENO);
    redirect(options.stderr_path, STDERR_FILENO);
    for (auto& [k, v] : options.env) ::setenv(k.c_str(), v.c_str(), 1);
    ::execv(argv[0], argv.data());
    std::fprintf(stderr, "cannot execute %s: %s\n", argv[0], std::strerror(errno));
    ::_exit(127);
  }
  return pid;
}

static ExitInfo toExitInfo(pid_t pid, int status) {
  ExitInfo info;
  info.pid = pid;
  if (WIFEXITED(status)) info.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) info.signal = WTERMSIG(status);
  return info;
}

std::string ExitInfo::describe() const {
  if (signal) return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  return "exited with code " + std::to_string(exit_code);
}

std::optional<ExitInfo> pollExit(pid_t pid) {
  int status = 0;
  pid_t r = ::waitpid(pid, &status, WNOHANG);
  if (r == pid) return toExitInfo(pid, status);
  if (r < 0) return ExitInfo{pid, -1, 0};
  return std::nullopt;
}

ExitInfo waitExit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return toExitInfo(pid, status);
}

std::string selfExeDir() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).parent_path().string();
}

std::string findSluiceBinary(const std::string& name) {
  if (const char* dir = std::getenv("SLUICE_BIN_DIR")) {
    fs::path p = fs::path(dir) / name;
    if (fs::exists(p)) return p.string();
  }
  for (fs::path dir : {fs::path(selfExeDir()), fs::path(selfExeDir()) / ".." / "bin"}) {
    fs::path p = dir / name;
    if (fs::exists(p)) return fs::canonical(p).string();
  }
  if (const char* path = std::getenv("PATH")) {
    std::string all(path);
    size_t start = 0;
    while (start <= all.size()) {
      size_t end = all.find(':', start);
      if (end == std::string::npos) end = all.size();
      fs::path p = fs::path(all.substr(start, end - start)) / name;
      if (::access(p.c_str(), X_OK) == 0) return p.string();
      start = end + 1;
    }
  }
  return name;
}

}  // namespace sluice
