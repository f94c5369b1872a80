#include "streaming/streaming_wiring.h"

#include "driver/context.h"
#include "scheduler/task_set.h"
#include "streaming/context_waiter.h"
#include "streaming/dstream/dstream_graph.h"
#include "streaming/receiver_tracker.h"
#include "streaming/recovery/checkpoint_writer.h"

namespace sluice {

StreamingWiring::StreamingWiring(Context& ctx, Clock& clock, Duration batch, const StreamingSettings& settings,
                                 DStreamGraph& graph, ReceiverTracker& receivers, ContextWaiter& waiter,
                                 const AdaptiveBatchInterval* adaptive)
    : ctx_(ctx),
      graph_(graph),
      receivers_(receivers),
      waiter_(waiter),
      locality_wait_max_(settings.locality_wait_max),
      jobs_(std::make_unique<JobScheduler>(clock, settings.concurrent_jobs, batch, hooks())),
      generator_(std::make_unique<JobGenerator>(clock, batch, graph, *jobs_, hooks(), adaptive)),
      locality_(std::make_unique<BatchLocalityListener>(*jobs_)) {
  ctx_.addListener(locality_.get());
}

StreamingWiring::~StreamingWiring() { ctx_.removeListener(locality_.get()); }

void StreamingWiring::closeBatch(Time t) { receivers_.allocateBlocksToBatch(t); }

void StreamingWiring::runJob(const StreamingJob& job, const std::function<void()>& body) {
  // Every property is set for every job, so nothing leaks from one job to the next on a
  // job thread. SCHEDULING.md says why locality waits are capped.
  ctx_.setLocalProperty("scheduler.pool", job.pool);
  ctx_.setLocalProperty("job.group", kBatchJobGroupPrefix + std::to_string(job.time));
  ctx_.setLocalProperty(kJobLogQuietlyProperty, "true");  // the batch line sums its jobs up
  ctx_.setLocalProperty(kLocalityWaitMaxProperty, locality_wait_max_);
  body();
}

void StreamingWiring::jobFailed(Time t, const std::string& message) { waiter_.notifyError(t, message); }

void StreamingWiring::batchCompleted(Time t) {
  // Keep what windows and slice() may still read, one batch more for safety.
  graph_.clearMetadata(t);
  receivers_.batchCompleted(t);
  if (CheckpointWriter* writer = checkpoints_.load()) writer->write(false);
}

}  // namespace sluice
