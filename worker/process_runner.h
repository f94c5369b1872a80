// ProcessRunner: starts the worker's children (executors, drivers), watches them, kills
// them on request, and reports every exit exactly once.
//
// THREADING: one reaper thread does all the work. spawn() hands the fork to it and waits,
// because PR_SET_PDEATHSIG fires when the *thread* that forked exits, not the process: a
// child forked on a short-lived thread would be killed when that thread ends. The reaper
// polls the children every 20 ms, sends SIGKILL to those still alive a grace period after
// their SIGTERM, and calls the exit callback (on the reaper thread; it must not call back
// into the runner's blocking methods). Every public method is thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/process.h"
#include "common/status.h"

namespace sluice::worker {

class ProcessRunner {
 public:
  // killed: the child ended after kill()/killAll() asked it to.
  using ExitCallback = std::function<void(const std::string& key, const ExitInfo& exit, bool killed)>;

  ProcessRunner(ExitCallback on_exit, std::chrono::milliseconds kill_grace);
  // stop(), then joins the reaper.
  ~ProcessRunner();
  ProcessRunner(const ProcessRunner&) = delete;
  ProcessRunner& operator=(const ProcessRunner&) = delete;

  // Starts a child under key (unique among running children). options.die_with_parent is
  // forced on. Fails after stop(), for a key already running, or when fork/exec set-up fails.
  StatusOr<pid_t> spawn(const std::string& key, SpawnOptions options);
  // SIGTERM to the child's process group now, SIGKILL after the grace period. False when no
  // child runs under key.
  bool kill(const std::string& key);
  // Refuses further spawns, kills every child, and waits (at most the grace period plus one
  // second) until their exits have been reported.
  void stop();

  size_t running() const;

 private:
  struct Child {
    pid_t pid = 0;
    bool killed = false;
    std::optional<std::chrono::steady_clock::time_point> sigkill_at;
  };
  struct SpawnRequest {
    std::string key;
    SpawnOptions options;
    std::optional<StatusOr<pid_t>> result;
  };

  void reapLoop();
  void signalLocked(Child& child, int sig);

  ExitCallback on_exit_;
  const std::chrono::milliseconds kill_grace_;
  mutable std::mutex mu_;
  std::condition_variable cv_;       // wakes the reaper (spawn requests, stop)
  std::condition_variable done_cv_;  // wakes spawn() and stop() waiters
  std::deque<SpawnRequest*> spawns_;
  std::map<std::string, Child> children_;
  size_t reporting_ = 0;  // exits being reported outside the lock
  bool stopping_ = false;
  bool quit_ = false;
  std::thread reaper_;
};

}  // namespace sluice::worker
