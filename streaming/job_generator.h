// JobGenerator: the batch timer. Every batch interval (on the streaming clock, system or
// manual) it lets the inputs close the batch (allocate received blocks), asks the graph
// for the batch's jobs and hands them to the JobScheduler. Batches queue there when
// processing is slower than the interval; none is dropped.
#pragma once

#include <functional>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "streaming/batch_hooks.h"
#include "streaming/dstream/dstream_graph.h"
#include "streaming/job_scheduler.h"

namespace sluice {

class JobGenerator {
 public:
  // hooks.closeBatch(t) runs before the jobs of batch t are generated. Every argument must
  // outlive this object.
  JobGenerator(Clock& clock, Duration batch, DStreamGraph& graph, JobScheduler& scheduler, BatchHooks& hooks);
  ~JobGenerator();

  // Generates each batch of rerun (an earlier run's incomplete batches) at once, then
  // batches zero_time + k * batch from first on as the clock reaches them.
  void start(Time zero_time, Time first, std::vector<Time> rerun = {});
  // Stops the timer; with through >= 0, first generates every batch up to that time.
  void stop();
  Time lastGeneratedBatch() const { return last_generated_.load(); }

 private:
  void run(std::stop_token stop, Time first, const std::vector<Time>& rerun);
  void generate(Time t);

  Clock& clock_;
  Duration batch_;
  DStreamGraph& graph_;
  JobScheduler& scheduler_;
  BatchHooks& hooks_;
  std::atomic<Time> last_generated_{-1};
  std::jthread timer_;
};

}  // namespace sluice
