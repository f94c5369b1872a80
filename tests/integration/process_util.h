// Helpers for multi-process tests: run Sluice binaries as real processes, wait for what
// they print, and always stop what was started. A whole standalone cluster (master and
// workers) is LocalStandaloneCluster (local_standalone_cluster.h); JSON over HTTP is in
// http_json.h. Catch2 tests only: the require* helpers fail the test with REQUIRE.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/process.h"

namespace sluice::testing {

inline std::string binDir() { return std::string(SLUICE_BUILD_DIR) + "/bin"; }
inline std::string libDir() { return std::string(SLUICE_BUILD_DIR) + "/lib"; }

// A fresh directory under the build tree, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = std::filesystem::path(SLUICE_BUILD_DIR) / "test-tmp" / (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// How many times needle occurs in text (overlapping occurrences too).
inline size_t countOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The first capture group of the first match of pattern in text, or "".
inline std::string firstCapture(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : "";
}

// Polls cond every 20 ms until it holds or the deadline passes.
inline bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

// The first capture of pattern in the text that waitFor finds in read(), or "".
inline std::string waitForMatch(const std::function<std::string()>& read, const std::string& pattern,
                                std::chrono::milliseconds timeout) {
  std::smatch m;
  std::regex re(pattern);
  std::string text;
  waitFor([&] { return std::regex_search(text = read(), m, re); }, timeout);
  return std::regex_search(text, m, re) ? m[1].str() : "";
}

// The argv of sluice-submit --master master, then args (options, the app and its
// arguments); master is a URL such as "local[2]", "local-cluster[2,1,1024]" or "sluice://...".
inline std::vector<std::string> submitArgv(const std::string& master, const std::vector<std::string>& args) {
  std::vector<std::string> argv{binDir() + "/sluice-submit", "--master", master};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// A child process whose stdout/stderr go to files; killed (with its process group) when
// the object goes away. It runs in work_dir when one is given (then log_prefix must be
// absolute), else in this process's working directory.
class Child {
 public:
  Child(std::vector<std::string> argv, const std::string& log_prefix, const std::string& work_dir = "") {
    SpawnOptions opts;
    opts.argv = std::move(argv);
    opts.work_dir = work_dir;
    opts.stdout_path = out_path_ = log_prefix + ".out";
    opts.stderr_path = err_path_ = log_prefix + ".err";
    auto pid = spawnProcess(opts);
    pid_ = pid ? *pid : -1;
  }
  ~Child() { kill(SIGKILL); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0; }
  std::string out() const { return readFile(out_path_); }
  std::string err() const { return readFile(err_path_); }

  // Waits for the exit; returns the ExitInfo, or nullopt on timeout.
  std::optional<ExitInfo> wait(std::chrono::milliseconds timeout) {
    if (exit_) return exit_;
    waitFor([&] { return (exit_ = pollExit(pid_)).has_value(); }, timeout);
    return exit_;
  }
  void kill(int sig) {
    if (pid_ <= 0 || exit_) return;
    ::kill(-pid_, sig);  // the whole group: the child and what it started
    ::kill(pid_, sig);
    if (sig == SIGKILL) exit_ = waitExit(pid_);
  }

 private:
  pid_t pid_ = -1;
  std::string out_path_, err_path_;
  std::optional<ExitInfo> exit_;
};

// REQUIREs that c exits within timeout with exit code code; its stderr is the message.
inline void requireExitCode(Child& c, int code, std::chrono::milliseconds timeout) {
  auto exit = c.wait(timeout);
  INFO(c.err());
  REQUIRE(exit.has_value());
  REQUIRE(exit->exit_code == code);
}

// The id in "submitted driver <id> to ..." on a cluster-mode sluice-submit's stdout, once it
// has exited 0.
inline std::string submittedDriverId(Child& submit) {
  requireExitCode(submit, 0, std::chrono::seconds(30));
  std::string out = submit.out();
  INFO(out);
  std::string id = firstCapture(out, R"(submitted driver (\S+))");
  REQUIRE(!id.empty());
  return id;
}

// Pids of the processes whose parent is pid (from /proc).
inline std::vector<pid_t> childrenOf(pid_t pid) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    pid_t ppid;
    rest >> state >> ppid;
    if (ppid == pid) out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

// Pids below pid (children, grandchildren, ...) whose command line starts with a binary
// named name, e.g. "sluice-executor".
inline std::vector<pid_t> descendantsNamed(pid_t pid, const std::string& name) {
  std::vector<pid_t> out;
  std::vector<pid_t> todo{pid};
  while (!todo.empty()) {
    pid_t p = todo.back();
    todo.pop_back();
    for (pid_t c : childrenOf(p)) {
      todo.push_back(c);
      std::string cmd = readFile("/proc/" + std::to_string(c) + "/cmdline");
      std::string argv0 = cmd.substr(0, cmd.find('\0'));
      if (std::filesystem::path(argv0).filename() == name) out.push_back(c);
    }
  }
  return out;
}

// The pid of the first process below pid named name (see descendantsNamed) whose command
// line has the argument flag followed by value, e.g. ("sluice-executor", "--executor-id",
// "1"); -1 when none has.
inline pid_t descendantWithArg(pid_t pid, const std::string& name, const std::string& flag, const std::string& value) {
  const std::string needle = flag + '\0' + value + '\0';
  for (pid_t p : descendantsNamed(pid, name)) {
    if (readFile("/proc/" + std::to_string(p) + "/cmdline").find(needle) != std::string::npos) return p;
  }
  return -1;
}

}  // namespace sluice::testing
