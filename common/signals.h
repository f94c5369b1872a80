// The daemons' shutdown signals (sluice-master, sluice-worker): SIGTERM and SIGINT are
// taken synchronously by the main thread instead of by an asynchronous handler.
//
// Call blockShutdownSignals() at the top of main(), before any thread starts: every thread
// started later inherits the mask, so the signals reach the process only through
// awaitShutdownSignal(). (A driver, which runs shutdown hooks instead, uses
// installShutdownSignalHandler() of common/shutdown_hooks.h.)
#pragma once

#include <chrono>
#include <string>

namespace sluice {

// Blocks SIGTERM and SIGINT in the calling thread and the threads it starts afterwards.
void blockShutdownSignals();

// Waits for SIGTERM or SIGINT, blocked by blockShutdownSignals(), and logs it at info
// ("received SIGTERM, <what>"). Returns the signal number, or 0 when `timeout` passed
// first; a negative timeout waits for ever.
int awaitShutdownSignal(const std::string& what,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));

}  // namespace sluice
