#include "common/signals.h"

#include <signal.h>
#include <spdlog/spdlog.h>

namespace sluice {
namespace {

sigset_t shutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void blockShutdownSignals() {
  sigset_t set = shutdownSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int awaitShutdownSignal(const std::string& what, std::chrono::milliseconds timeout) {
  const sigset_t set = shutdownSet();
  int sig = 0;
  if (timeout.count() < 0) {
    while (sigwait(&set, &sig) != 0) {
    }
  } else {
    const timespec ts{static_cast<time_t>(timeout.count() / 1000),
                      static_cast<long>(timeout.count() % 1000) * 1'000'000};
    sig = sigtimedwait(&set, nullptr, &ts);
    if (sig < 0) return 0;  // EAGAIN: the timeout passed; EINTR: another signal came first
  }
  spdlog::info("received {}, {}", sig == SIGTERM ? "SIGTERM" : "SIGINT", what);
  return sig;
}

}  // namespace sluice
