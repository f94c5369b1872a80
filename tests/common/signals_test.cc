// The daemons' shutdown signals: a SIGTERM or SIGINT sent to a process that blocked them is
// taken by awaitShutdownSignal, not by the default action.
#include "common/signals.h"

#include <signal.h>

#include <catch2/catch.hpp>

namespace sluice {
namespace {

TEST_CASE("shutdown signals are taken by awaitShutdownSignal", "[common]") {
  blockShutdownSignals();
  CHECK(awaitShutdownSignal("test", std::chrono::milliseconds(1)) == 0);  // none pending
  REQUIRE(::raise(SIGTERM) == 0);  // blocked: pending until taken below
  CHECK(awaitShutdownSignal("test", std::chrono::milliseconds(0)) == SIGTERM);
  REQUIRE(::raise(SIGINT) == 0);
  CHECK(awaitShutdownSignal("test") == SIGINT);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace
}  // namespace sluice
