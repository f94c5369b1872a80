// Ctrl-C for sluice-tune: SIGINT and SIGTERM set a flag instead of ending the process, so
// that the sweep can stop the run in progress (never leaving a driver behind) and write
// what it measured. The handler only stores to a lock-free atomic; a second signal ends
// the process at once (exit code 130).
#pragma once

namespace sluice::tune {

// Installs the handler for SIGINT and SIGTERM (without SA_RESTART). Call once, early.
void installInterruptHandler();
// Whether SIGINT or SIGTERM arrived. Thread-safe.
bool interrupted();

}  // namespace sluice::tune
