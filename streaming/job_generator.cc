#include "streaming/job_generator.h"

#include <spdlog/spdlog.h>

#include "streaming/streaming_context.h"
#include "rdd/job_context.h"

namespace sluice {

JobGenerator::JobGenerator(Clock& clock, Duration batch, DStreamGraph& graph, JobScheduler& scheduler,
                           BatchHooks& hooks)
    : clock_(clock), batch_(batch), graph_(graph), scheduler_(scheduler), hooks_(hooks) {}

JobGenerator::~JobGenerator() { stop(); }

void JobGenerator::start(Time zero_time, Time first, std::vector<Time> rerun) {
  if (first <= zero_time || (first - zero_time) % batch_.ms != 0) {
    throw std::invalid_argument("the first batch time must be a batch time after the zero time");
  }
  timer_ = std::jthread([this, first, rerun = std::move(rerun)](std::stop_token stop) { run(stop, first, rerun); });
}

void JobGenerator::stop() {
  if (timer_.joinable()) {
    timer_.request_stop();
    timer_.join();
  }
}

void JobGenerator::run(std::stop_token stop, Time first, const std::vector<Time>& rerun) {
  for (Time t : rerun) {
    if (stop.stop_requested()) return;
    spdlog::info("re-running batch {}", t);
    generate(t);
  }
  for (Time t = first; !stop.stop_requested(); t += batch_.ms) {
    if (!clock_.waitUntil(t, stop)) return;
    generate(t);
  }
}

void JobGenerator::generate(Time t) {
  std::map<int, int64_t> records;
  std::vector<StreamingJob> jobs;
  try {
    hooks_.closeBatch(t);
    jobs = graph_.generateJobs(t);
    for (auto& input : graph_.inputs()) records[input->id()] = input->recordsAt(t);
  } catch (const std::exception& e) {
    spdlog::error("cannot generate the jobs of batch {}: {}", t, e.what());
  }
  last_generated_ = t;
  scheduler_.submit(t, std::move(jobs), std::move(records));
}

}  // namespace sluice
