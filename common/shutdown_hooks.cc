#include "common/shutdown_hooks.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

namespace sluice {
namespace {

struct Hooks {
  // The mutex is held while hooks run, so removeShutdownHook waits for a running hook.
  std::recursive_mutex mu;
  std::multimap<int, std::pair<int, std::function<void()>>, std::greater<int>> by_priority;
  int next_id = 1;
  std::atomic<int64_t> timeout_ms{30'000};
};

Hooks& hooks() {
  static Hooks* h = new Hooks;  // never destroyed: the signal thread may outlive main()
  return *h;
}

void runHooksAndExit(int sig) {
  spdlog::warn("received {}, shutting down", strsignal(sig));
  auto& h = hooks();
  int64_t timeout_ms = h.timeout_ms.load();
  std::thread([sig, timeout_ms] {
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
    spdlog::error("shutdown hooks still running after {} ms; exiting", timeout_ms);
    spdlog::default_logger()->flush();
    _exit(128 + sig);
  }).detach();
  std::lock_guard lock(h.mu);
  for (auto& [priority, entry] : h.by_priority) {
    try {
      entry.second();
    } catch (const std::exception& e) {
      spdlog::error("shutdown hook failed: {}", e.what());
    }
  }
  spdlog::default_logger()->flush();
  _exit(128 + sig);
}

}  // namespace

int addShutdownHook(int priority, std::function<void()> hook) {
  auto& h = hooks();
  std::lock_guard lock(h.mu);
  int id = h.next_id++;
  h.by_priority.emplace(priority, std::make_pair(id, std::move(hook)));
  return id;
}

void removeShutdownHook(int id) {
  auto& h = hooks();
  std::lock_guard lock(h.mu);
  for (auto it = h.by_priority.begin(); it != h.by_priority.end(); ++it) {
    if (it->second.first == id) {
      h.by_priority.erase(it);
      return;
    }
  }
}

void extendShutdownTimeout(std::chrono::milliseconds timeout) {
  auto& t = hooks().timeout_ms;
  int64_t want = timeout.count();
  int64_t now = t.load();
  while (now < want && !t.compare_exchange_weak(now, want)) {
  }
}

void installShutdownSignalHandler() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    runHooksAndExit(sig);
  }).detach();
}

}  // namespace sluice
