// StreamingWiring: the batch machinery of a StreamingContext and how it is connected.
// It owns the batch timer (JobGenerator), the job scheduler (JobScheduler) and the
// locality listener (BatchLocalityListener, registered with the Context), and answers
// their BatchHooks:
//
//   closeBatch(t)      the receiver tracker allocates the blocks received so far to batch t
//   runJob(job, body)  the job runs in its output operation's pool, tagged with its batch
//                      (job group kBatchJobGroupPrefix<t>), its tasks waiting for locality
//                      at most streaming.locality.maxWaitFraction of the batch interval
//   jobFailed(t, msg)  the ContextWaiter keeps the first error for awaitTermination()
//   batchCompleted(t)  the graph forgets the RDDs no later batch reads, the receiver
//                      tracker logs the batch, and a checkpoint is written when due
//
// THREADING: the hooks run on the JobGenerator's and the job threads; everything else is
// called by the StreamingContext.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "streaming/batch_hooks.h"
#include "streaming/batch_locality_listener.h"
#include "streaming/job_generator.h"
#include "streaming/job_scheduler.h"
#include "streaming/streaming_settings.h"

namespace sluice {

class AdaptiveBatchInterval;
class CheckpointWriter;
class Context;
class ContextWaiter;
class DStreamGraph;
class ReceiverTracker;

class StreamingWiring : private BatchHooks {
 public:
  // Every reference must outlive this object, and adaptive (null for a fixed interval: the
  // JobGenerator's) too.
  StreamingWiring(Context& ctx, Clock& clock, Duration batch, const StreamingSettings& settings, DStreamGraph& graph,
                  ReceiverTracker& receivers, ContextWaiter& waiter, const AdaptiveBatchInterval* adaptive = nullptr);
  // Unregisters the locality listener, then stops the timer and the job threads.
  ~StreamingWiring() override;
  StreamingWiring(const StreamingWiring&) = delete;
  StreamingWiring& operator=(const StreamingWiring&) = delete;

  JobScheduler& jobs() { return *jobs_; }
  const JobScheduler& jobs() const { return *jobs_; }
  JobGenerator& generator() { return *generator_; }
  // Before jobs().start(): where completed batches write their checkpoints (none until
  // then). writer must outlive the job threads.
  void setCheckpointWriter(CheckpointWriter* writer) { checkpoints_.store(writer); }

 private:
  void closeBatch(Time t) override;
  void runJob(const StreamingJob& job, const std::function<void()>& body) override;
  void jobFailed(Time t, const std::string& message) override;
  void batchCompleted(Time t) override;
  BatchHooks& hooks() { return *this; }

  Context& ctx_;
  DStreamGraph& graph_;
  ReceiverTracker& receivers_;
  ContextWaiter& waiter_;
  const std::string locality_wait_max_;
  std::atomic<CheckpointWriter*> checkpoints_{nullptr};
  std::unique_ptr<JobScheduler> jobs_;
  std::unique_ptr<JobGenerator> generator_;
  std::unique_ptr<BatchLocalityListener> locality_;
};

}  // namespace sluice
