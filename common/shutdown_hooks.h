// Shutdown hooks (Spark's ShutdownHookManager): what a driver does when it gets SIGTERM or
// SIGINT, e.g. stop its StreamingContext gracefully and then its Context.
//
// A process opts in by calling installShutdownSignalHandler() at the top of main(),
// before it starts any thread. The signal then runs the hooks on a dedicated thread,
// highest priority first, and ends the process with 128 + the signal number; if the hooks
// have not finished within the shutdown timeout (30 s by default, as Hadoop's
// ShutdownHookManager), the process ends anyway with that code, whatever they wait for.
#pragma once

#include <chrono>
#include <functional>

namespace sluice {

// Streaming contexts stop before the Context that runs their jobs.
inline constexpr int kStreamingShutdownPriority = 50;
inline constexpr int kContextShutdownPriority = 25;

// Registers hook; returns an id for removeShutdownHook. Hooks must not call these
// functions themselves.
int addShutdownHook(int priority, std::function<void()> hook);
// Forgets a hook (a no-op for an unknown id); waits if the hooks are running right now
// and this one has not run yet, so that the hook never outlives its owner.
void removeShutdownHook(int id);
// Raises the shutdown timeout to at least timeout (e.g. for a graceful stop that may take
// longer); it never lowers it. Thread-safe.
void extendShutdownTimeout(std::chrono::milliseconds timeout);
// Blocks SIGTERM and SIGINT in this thread (and the threads it starts later) and starts
// the thread that waits for them.
void installShutdownSignalHandler();

}  // namespace sluice
