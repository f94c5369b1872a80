#include "worker/process_runner.h"

#include <signal.h>

#include <vector>

#include <spdlog/spdlog.h>

namespace sluice::worker {

using namespace std::chrono_literals;
namespace {
constexpr auto kPollInterval = 20ms;
}

ProcessRunner::ProcessRunner(ExitCallback on_exit, std::chrono::milliseconds kill_grace)
    : on_exit_(std::move(on_exit)), kill_grace_(kill_grace) {
  reaper_ = std::thread([this] { reapLoop(); });
}

ProcessRunner::~ProcessRunner() {
  stop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  reaper_.join();
}

StatusOr<pid_t> ProcessRunner::spawn(const std::string& key, SpawnOptions options) {
  options.die_with_parent = true;
  SpawnRequest request{key, std::move(options), std::nullopt};
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return Status::aborted("the worker is stopping; not starting " + key);
  if (children_.count(key)) return Status::invalidArgument(key + " is already running");
  spawns_.push_back(&request);
  cv_.notify_all();
  done_cv_.wait(lock, [&] { return request.result.has_value(); });
  return std::move(*request.result);
}

bool ProcessRunner::kill(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = children_.find(key);
  if (it == children_.end()) return false;
  if (!it->second.killed) {
    it->second.killed = true;
    it->second.sigkill_at = std::chrono::steady_clock::now() + kill_grace_;
    signalLocked(it->second, SIGTERM);
  }
  return true;
}

void ProcessRunner::stop() {
  std::vector<std::string> keys;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (const auto& [key, _] : children_) keys.push_back(key);
  }
  for (const auto& key : keys) kill(key);
  std::unique_lock<std::mutex> lock(mu_);
  bool done = done_cv_.wait_for(lock, kill_grace_ + 1s, [&] { return children_.empty() && reporting_ == 0; });
  if (!done) spdlog::warn("{} child process(es) did not end after SIGKILL", children_.size());
}

size_t ProcessRunner::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return children_.size();
}

// The child is the leader of its own process group (spawnProcess calls setpgid): signal the
// group, so that whatever it started goes too, and the pid, in case the child has not yet
// made its group.
void ProcessRunner::signalLocked(Child& child, int sig) {
  ::kill(-child.pid, sig);
  ::kill(child.pid, sig);
}

void ProcessRunner::reapLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!quit_) {
    while (!spawns_.empty()) {
      SpawnRequest* request = spawns_.front();
      spawns_.pop_front();
      auto pid = spawnProcess(request->options);
      if (pid) children_[request->key] = Child{*pid, false, std::nullopt};
      request->result = std::move(pid);
    }
    done_cv_.notify_all();

    auto now = std::chrono::steady_clock::now();
    std::vector<std::pair<std::string, std::pair<ExitInfo, bool>>> exits;
    for (auto it = children_.begin(); it != children_.end();) {
      Child& child = it->second;
      if (auto exit = pollExit(child.pid)) {
        exits.push_back({it->first, {*exit, child.killed}});
        it = children_.erase(it);
        continue;
      }
      if (child.sigkill_at && now >= *child.sigkill_at) {
        spdlog::warn("{} (pid {}) still runs {} ms after SIGTERM; sending SIGKILL", it->first, child.pid,
                     kill_grace_.count());
        signalLocked(child, SIGKILL);
        child.sigkill_at.reset();
      }
      ++it;
    }
    if (!exits.empty()) {
      reporting_ += exits.size();
      lock.unlock();
      for (const auto& [key, exit] : exits) on_exit_(key, exit.first, exit.second);
      lock.lock();
      reporting_ -= exits.size();
      done_cv_.notify_all();
    }
    if (!spawns_.empty() || quit_) continue;
    cv_.wait_for(lock, kPollInterval);
  }
}

}  // namespace sluice::worker
