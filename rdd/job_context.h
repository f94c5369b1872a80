// JobContext: what the RDD API needs from the driver. sluice::Context (driver/context.h)
// implements it; keeping the interface here keeps rdd/ free of driver code.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "rdd/rdd_base.h"

namespace sluice {

// Thrown by actions when a job fails (Spark's SparkException): the message names the
// stage, the partition and the last error.
class JobFailedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
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
};

}  // namespace sluice
