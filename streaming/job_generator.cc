#include "streaming/job_generator.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "streaming/streaming_context.h"
#include "rdd/job_context.h"

namespace sluice {

JobGenerator::JobGenerator(Clock& clock, Duration batch, DStreamGraph& graph, JobScheduler& scheduler,
                           BatchHooks& hooks, const AdaptiveBatchInterval* adaptive)
    : clock_(clock), batch_(batch), graph_(graph), scheduler_(scheduler), hooks_(hooks), adaptive_(adaptive) {}

JobGenerator::~JobGenerator() { stop(); }

void JobGenerator::start(Time zero_time, Time first, std::vector<Time> rerun) {
  if (first <= zero_time || (!adaptive_ && (first - zero_time) % batch_.ms != 0)) {
    throw std::invalid_argument("the first batch time must be a batch time after the zero time");
  }
  previous_ = std::max(zero_time, first - batch_.ms);
  timer_ = std::jthread([this, rerun = std::move(rerun)](std::stop_token stop) { run(stop, rerun); });
}

Time JobGenerator::nextBatchTime() const {
  return previous_.load() + (adaptive_ ? adaptive_->interval() : batch_).ms;
}

void JobGenerator::stop() {
  if (timer_.joinable()) {
    timer_.request_stop();
    timer_.join();
  }
}

void JobGenerator::run(std::stop_token stop, const std::vector<Time>& rerun) {
  for (Time t : rerun) {
    if (stop.stop_requested()) return;
    spdlog::info("re-running batch {}", t);
    generate(t, adaptive_ ? 0 : batch_.ms);  // an adaptive run's earlier intervals are not known
  }
  while (!stop.stop_requested()) {
    Time previous = previous_.load();
    if (!adaptive_) {
      Time next = previous + batch_.ms;
      if (!clock_.waitUntil(next, stop)) return;
      generate(next, batch_.ms);
      previous_ = next;
      continue;
    }
    AdaptiveBatchInterval::Current interval = adaptive_->current();
    Time next = previous + interval.interval.ms;
    if (clock_.nowMs() < next) {
      // Wakes at next or when a completed batch changes the interval; then looks again.
      if (!adaptive_->waitUntil(clock_, next, interval.version, stop)) return;
      continue;
    }
    generate(next, interval.interval.ms);
    previous_ = next;
  }
}

void JobGenerator::generate(Time t, int64_t interval_ms) {
  std::map<int, int64_t> records;
  std::vector<StreamingJob> jobs;
  try {
    hooks_.closeBatch(t);
    jobs = graph_.generateJobs(t);
    for (auto& input : graph_.inputs()) records[input->id()] = input->recordsAt(t);
  } catch (const std::exception& e) {
    // As Spark's JobGenerator reports it: awaitTermination() throws it (a Kafka topic
    // gone, brokers unreachable); the batch runs with no jobs.
    spdlog::error("cannot generate the jobs of batch {}: {}", t, e.what());
    hooks_.jobFailed(t, std::string("cannot generate the jobs of the batch: ") + e.what());
  }
  scheduler_.submit(t, interval_ms, std::move(jobs), std::move(records));
  last_generated_ = t;
}

}  // namespace sluice
