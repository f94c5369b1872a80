// JobContext: what the RDD API needs from the driver. sluice::Context (driver/context.h)
// implements it; keeping the interface here keeps rdd/ free of driver code.
#pragma once

#include <memory>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/paths.h"
#include "rdd/rdd_base.h"

namespace sluice {

// Thrown by actions when a job fails (Spark's SparkException): the message names the
// stage, the partition and the last error.
class JobFailedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the driver drops on every executor (and in its own bookkeeping) once nothing can need
// it any more: the cached partitions of RDDs, the outputs of shuffles, received blocks and
// broadcasts. Removing an id that is already gone does nothing.
struct CleanupRequest {
  std::vector<int> rdd_ids;
  std::vector<int> shuffle_ids;  // only from the DAGScheduler, which alone knows their stages
  std::vector<std::string> block_ids;
  std::vector<int64_t> broadcast_ids;
  bool empty() const { return rdd_ids.empty() && shuffle_ids.empty() && block_ids.empty() && broadcast_ids.empty(); }

  static CleanupRequest rdds(std::vector<int> ids) {
    CleanupRequest r;
    r.rdd_ids = std::move(ids);
    return r;
  }
  static CleanupRequest shuffles(std::vector<int> ids) {
    CleanupRequest r;
    r.shuffle_ids = std::move(ids);
    return r;
  }
  static CleanupRequest broadcast(int64_t id) {
    CleanupRequest r;
    r.broadcast_ids.push_back(id);
    return r;
  }
};

class JobContext {
 public:
  virtual ~JobContext() = default;
  virtual int newRddId() = 0;
  virtual int newShuffleId() = 0;
  virtual int defaultParallelism() const = 0;
  // Runs one job computing the given partitions of rdd; returns each partition's
  // computeToBytes() output, in the order of partitions. Throws JobFailedError.
  virtual std::vector<std::string> runJob(std::shared_ptr<RDDBase> rdd,
                                          const std::vector<int>& partitions) = 0;
  // Registers a broadcast value; returns its id. bytes is its Cereal encoding, value the
  // already-decoded object (kept for tasks running in this process).
  virtual int64_t newBroadcast(std::string bytes, std::shared_ptr<const void> value) = 0;
  // Tracks a persisted RDD: once nothing but the context holds it any more, its cached
  // partitions are removed everywhere (Spark's ContextCleaner). Thread-safe.
  virtual void trackPersisted(const std::shared_ptr<RDDBase>& /*rdd*/) {}
  // Drops what the request names, now, on the driver and on every executor. Thread-safe and
  // never blocks; a no-op once the context has stopped.
  virtual void cleanup(CleanupRequest /*what*/) {}
  // path as every process must see it: absolute, a relative one taken against the directory
  // the application was submitted from (tasks run in executors' own work dirs). Thread-safe.
  virtual std::string absolutePath(const std::string& path) const { return resolvePath(path); }
};

}  // namespace sluice
