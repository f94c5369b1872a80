#include "bench/tune/stall_probe.h"

#include <pthread.h>
#include <sched.h>

#include <chrono>

#include "common/clock.h"

namespace sluice::tune {

StallProbe::StallProbe(int64_t threshold_ms) : threshold_ms_(threshold_ms) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) threads_.emplace_back([this, cpu] { watch(cpu); });
  }
}

StallProbe::~StallProbe() {
  stopping_ = true;
  for (auto& t : threads_) t.join();
}

std::vector<MachineStall> StallProbe::stalls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stalls_;
}

void StallProbe::watch(int cpu) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  pthread_setaffinity_np(pthread_self(), sizeof one, &one);
  // Above everything the application runs (also under chrt), so that a gap is the machine's
  // and not a wait behind the application's own threads. Without the right to (not root, no
  // CAP_SYS_NICE) the probe notes nothing: its gaps would say nothing of the machine.
  sched_param top{};
  top.sched_priority = sched_get_priority_max(SCHED_FIFO);
  if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &top) != 0) {
    unprivileged_ = true;
    return;
  }
  using Clock = std::chrono::steady_clock;
  auto last = Clock::now();
  while (!stopping_.load(std::memory_order_relaxed)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto now = Clock::now();
    int64_t gap_us = std::chrono::duration_cast<std::chrono::microseconds>(now - last).count();
    if (gap_us > threshold_ms_ * 1000) {
      // The gap ended now: it started gap_us before, on the epoch clock batch times use.
      int64_t end_ms = SystemClock().nowMs();
      std::lock_guard<std::mutex> lock(mu_);
      stalls_.push_back({cpu, end_ms - gap_us / 1000, gap_us / 1000});
    }
    last = now;
  }
}

}  // namespace sluice::tune
