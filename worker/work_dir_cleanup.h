// Work-dir cleanup: what a worker removes of the dirs its children ran in (Spark's
// spark.worker.cleanup.*, adapted; see worker/worker.h for the layout).
//
// - A child that has exited, however it ended, loses everything in its dir except its
//   `stdout` and `stderr` logs at once: spill files, blocks, the application cache. Nothing
//   can read them any more: an executor serves its shuffle output itself, so that output
//   dies with it (there is no external shuffle service).
// - A top-level dir (an application's, or a cluster-mode driver's) in which no child of this
//   worker runs and whose newest file is older than worker.cleanup.appDataTtl (7d, as Spark)
//   is removed whole, logs included. A worker checks at start and every
//   worker.cleanup.interval (30min, as Spark) while worker.cleanup.enabled (true; Spark's
//   default is false, but a worker that runs for months must not fill its disk).
// - At start no child runs, so every dir left by a previous run (a dead application's)
//   loses all but its logs, and is removed whole once older than the TTL.
//
// THREADING: plain functions on the file system; the worker calls them on its event loop,
// which also launches children, so a dir is never cleaned while a child is being put in it.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace sluice::worker {

// Removes everything under dir except the files named stdout and stderr (and the dirs
// that hold them). A missing dir is fine; errors are logged and skipped.
void removeAllButLogs(const std::string& dir);

// One pass over work_dir: each top-level dir not named in in_use loses all but its logs, and
// is removed whole when its newest file is older than ttl. Returns the dirs removed whole.
std::vector<std::string> cleanWorkDir(const std::string& work_dir, const std::set<std::string>& in_use,
                                      std::chrono::milliseconds ttl);

}  // namespace sluice::worker
