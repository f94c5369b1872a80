#include "streaming/context_waiter.h"

#include "rdd/job_context.h"

namespace sluice {

void ContextWaiter::notifyError(Time t, const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.empty()) return;
    error_ = "batch " + std::to_string(t) + ": " + message;
  }
  cv_.notify_all();
}

void ContextWaiter::notifyStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

bool ContextWaiter::waitForStopOrError(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  auto ended = [&] { return stopped_ || !error_.empty(); };
  bool done = true;
  if (timeout.count() < 0) cv_.wait(lock, ended);
  else done = cv_.wait_for(lock, timeout, ended);
  if (!error_.empty()) throw JobFailedError(error_);
  return done;
}

}  // namespace sluice
