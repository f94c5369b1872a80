// JobGenerator: the batch timer. Every batch interval (on the streaming clock, system or
// manual) it lets the inputs close the batch (allocate received blocks), asks the graph
// for the batch's jobs and hands them to the JobScheduler. Batches queue there when
// processing is slower than the interval; none is dropped.
//
// With a fixed interval the batch times are the grid zero_time + k * batch. With an
// adaptive one (streaming/adaptive/adaptive_batch_interval.h) each next batch time is the
// previous one plus the interval in effect when it comes, read again whenever it changes
// while waiting (a completed batch changes it): a batch covers [previous batch time, its
// batch time), and BatchInfo::interval_ms says how long that was.
#pragma once

#include <functional>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "streaming/adaptive/adaptive_batch_interval.h"
#include "streaming/batch_hooks.h"
#include "streaming/dstream/dstream_graph.h"
#include "streaming/job_scheduler.h"

namespace sluice {

class JobGenerator {
 public:
  // hooks.closeBatch(t) runs before the jobs of batch t are generated. adaptive, when not
  // null, gives the interval of each next batch (batch is then only the first one's). Every
  // argument must outlive this object.
  JobGenerator(Clock& clock, Duration batch, DStreamGraph& graph, JobScheduler& scheduler, BatchHooks& hooks,
               const AdaptiveBatchInterval* adaptive = nullptr);
  ~JobGenerator();

  // Generates each batch of rerun (an earlier run's incomplete batches) at once, then
  // batch first and the following ones as the clock reaches them (fixed: zero_time + k *
  // batch; adaptive: each the previous one plus the interval in effect). With a fixed
  // interval, first must be on the grid.
  void start(Time zero_time, Time first, std::vector<Time> rerun = {});
  // Stops the timer.
  void stop();
  // The last batch time generated (after its jobs were handed to the JobScheduler), -1
  // before the first.
  Time lastGeneratedBatch() const { return last_generated_.load(); }
  // The time of the next batch as things stand (an adaptive interval may still change it).
  Time nextBatchTime() const;

 private:
  void run(std::stop_token stop, const std::vector<Time>& rerun);
  void generate(Time t, int64_t interval_ms);

  Clock& clock_;
  Duration batch_;
  DStreamGraph& graph_;
  JobScheduler& scheduler_;
  BatchHooks& hooks_;
  const AdaptiveBatchInterval* adaptive_;
  std::atomic<Time> previous_{-1};  // the batch time the next batch's interval starts from
  std::atomic<Time> last_generated_{-1};
  std::jthread timer_;
};

}  // namespace sluice
