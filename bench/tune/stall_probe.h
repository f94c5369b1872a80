// The machine's own pauses during a run: one thread pinned to each CPU wakes every
// millisecond and notes every gap between two wake-ups longer than a threshold. A gap
// means that CPU ran nothing of sluice-tune's for that long: on a shared virtual machine
// the host pauses a virtual CPU (100 ms at a time were seen on this project's 2-core
// machines whenever both CPUs were busy); on a dedicated machine there are none. A batch
// that was on that CPU waits the same, whatever the application does, so a run that
// fails only on a few slow batches while the machine paused says so in its verdict.
//
// The threads run at the top real-time priority (SCHED_FIFO), above anything the
// application runs, so a gap is not a wait behind its threads; that needs root or
// CAP_SYS_NICE, and without it the probe notes nothing (available() is false). They cost
// about 1,000 wake-ups a second per CPU, a few microseconds each.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/tune/run_record.h"

namespace sluice::tune {

class StallProbe {
 public:
  // Starts the threads: one per CPU this process may run on.
  explicit StallProbe(int64_t threshold_ms);
  // Stops and joins them.
  ~StallProbe();
  StallProbe(const StallProbe&) = delete;
  StallProbe& operator=(const StallProbe&) = delete;

  // The gaps seen so far, in the order seen. THREADING: any thread.
  std::vector<MachineStall> stalls() const;
  int cpus() const { return static_cast<int>(threads_.size()); }
  // False when the threads could not take a real-time priority: then nothing is noted.
  // Meaningful once the threads have started (a few microseconds after construction).
  bool available() const { return !unprivileged_.load(); }

 private:
  void watch(int cpu);

  const int64_t threshold_ms_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> unprivileged_{false};
  mutable std::mutex mu_;
  std::vector<MachineStall> stalls_;
  std::vector<std::thread> threads_;
};

}  // namespace sluice::tune
