#include "bench/tune/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace sluice::tune {
namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// A second signal ends sluice-tune at once; its drivers then get SIGKILL from the kernel
// (PR_SET_PDEATHSIG, common/process.h).
void onSignal(int) {
  if (g_interrupted.exchange(true)) ::_exit(130);
}

}  // namespace

void installInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_interrupted.load(); }

}  // namespace sluice::tune
