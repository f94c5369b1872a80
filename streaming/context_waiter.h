// ContextWaiter: what StreamingContext::awaitTermination() waits for (Spark's
// ContextWaiter): the context stopped, or an output operation of a batch failed.
//
// THREADING: thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "streaming/duration.h"

namespace sluice {

class ContextWaiter {
 public:
  // Keeps the first error only: "batch <t>: <message>".
  void notifyError(Time t, const std::string& message);
  void notifyStop();
  // Waits until notifyStop() or notifyError(); false when timeout passed first (a negative
  // timeout waits forever). Throws JobFailedError with the error once there is one.
  bool waitForStopOrError(std::chrono::milliseconds timeout);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;  // guarded by mu_
  std::string error_;     // guarded by mu_
};

}  // namespace sluice
