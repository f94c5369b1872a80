// BatchHooks: what the batch timer (JobGenerator) and the job scheduler (JobScheduler)
// ask of the rest of a StreamingContext at each step of a batch's life. StreamingWiring
// (streaming_wiring.h) answers them.
#pragma once

#include <functional>
#include <string>

#include "streaming/dstream/dstream_graph.h"

namespace sluice {

class BatchHooks {
 public:
  virtual ~BatchHooks() = default;
  // Before the jobs of batch t are generated, on the JobGenerator's thread: the inputs
  // close batch t (the receivers' blocks so far become its blocks).
  virtual void closeBatch(Time t) = 0;
  // Runs one job of a batch on a job thread: prepares the thread, then calls body.
  virtual void runJob(const StreamingJob& job, const std::function<void()>& body) = 0;
  // An output operation of batch t failed with message, on a job thread; or the jobs of
  // batch t could not be generated, on the JobGenerator's thread.
  virtual void jobFailed(Time t, const std::string& message) = 0;
  // Every job of batch t ended, on a job thread, before the listeners hear of it.
  virtual void batchCompleted(Time t) = 0;
};

}  // namespace sluice
