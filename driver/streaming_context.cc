#include "driver/streaming_context.h"

#include <spdlog/spdlog.h>

#include "driver/receiver_tracker.h"

namespace sluice {

JobContext* DStreamBase::jobContext() const { return &ssc_->context(); }

StreamingContext::StreamingContext(Context& ctx, Duration batch_interval)
    : ctx_(ctx), batch_(batch_interval), receivers_(std::make_unique<ReceiverTracker>()) {
  if (batch_.ms <= 0) throw std::invalid_argument("the batch interval must be positive");
  if (ctx.conf().get("streaming.clock", "system") == "manual") {
    auto manual = std::make_unique<ManualClock>(0);
    manual_clock_ = manual.get();
    clock_ = std::move(manual);
  } else {
    clock_ = std::make_unique<SystemClock>();
  }
  int concurrent = static_cast<int>(ctx.conf().getInt("streaming.concurrentJobs", 1));
  jobs_ = std::make_unique<JobScheduler>(*clock_, concurrent, [this](Time t) {
    // Keep what windows and slice() may still read, one batch more for safety.
    graph_.clearMetadata(t);
    receivers_->cleanupBefore(t - batch_.ms);
  });
  generator_ = std::make_unique<JobGenerator>(*clock_, batch_, graph_, *jobs_,
                                              [this](Time t) { receivers_->allocateBlocksToBatch(t); });
}

StreamingContext::~StreamingContext() { stop(false, false); }

void StreamingContext::start() {
  State expected = State::kInitialized;
  if (state_ != expected) throw std::logic_error("StreamingContext has already been started or stopped");
  int64_t now = clock_->nowMs();
  zero_time_ = now - now % batch_.ms;
  Status st = graph_.start(zero_time_, batch_, remember_);
  if (!st) throw std::invalid_argument(st.message());
  jobs_->start();
  generator_->start(zero_time_);
  state_ = State::kActive;
  spdlog::info("streaming started: batch interval {} ms, first batch at {}", batch_.ms, zero_time_ + batch_.ms);
}

void StreamingContext::stop(bool stop_context, bool graceful) {
  if (state_ == State::kActive) {
    if (graceful) {
      // Every batch generated so far (and so every block received) is processed first.
      Time last = generator_->lastGeneratedBatch();
      generator_->stop();
      if (last >= 0) jobs_->waitForBatch(last, std::chrono::hours(1));
      jobs_->stop(true);
    } else {
      generator_->stop();
      jobs_->stop(false);
    }
    spdlog::info("streaming stopped{}", graceful ? " gracefully" : "");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_ = State::kStopped;
  }
  cv_.notify_all();
  if (stop_context) ctx_.stop();
}

bool StreamingContext::awaitTermination(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  auto stopped = [&] { return state_ == State::kStopped; };
  if (timeout.count() < 0) {
    cv_.wait(lock, stopped);
    return true;
  }
  return cv_.wait_for(lock, timeout, stopped);
}

}  // namespace sluice
