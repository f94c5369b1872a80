#include "common/shutdown_hooks.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

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
};

Hooks& hooks() {
  static Hooks* h = new Hooks;  // never destroyed: the signal thread may outlive main()
  return *h;
}

void runHooksAndExit(int sig) {
  spdlog::warn("received {}, shutting down", strsignal(sig));
  auto& h = hooks();
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
