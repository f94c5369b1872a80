// MemoryTrimmer: gives the pages malloc keeps free back to the operating system, every
// kMemoryTrimInterval, for as long as the object lives (sluice-submit and sluice-executor
// keep one for their whole run).
//
// Why: glibc's malloc keeps the memory a process freed inside its arenas (one per busy
// thread, up to 8 per core) and returns it only from the top of each heap. A streaming
// driver or executor allocates and frees every batch on many threads, so each arena's
// resident size creeps up to its largest transient peak, and RSS grows for hours although
// the live heap is flat (measured in the soak benchmark: the driver's live heap grew 0.1
// MB/min while its RSS grew 1.7 MB/min, and one malloc_trim(0) gave back 10 MB of 35).
// malloc_trim(0) releases the free pages of every arena; it takes milliseconds for heaps
// of hundreds of MB. Elsewhere than glibc it does nothing.
//
// THREADING: one background thread; construction and destruction from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sluice {

inline constexpr std::chrono::seconds kMemoryTrimInterval{10};

class MemoryTrimmer {
 public:
  explicit MemoryTrimmer(std::chrono::milliseconds interval = kMemoryTrimInterval);
  // Stops the thread; waits at most for one malloc_trim in progress.
  ~MemoryTrimmer();
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

  // Trims once now, on the calling thread; returns the resident bytes released (0 when
  // RSS did not fall). Thread-safe.
  static long trimNow();

 private:
  void run(std::chrono::milliseconds interval);

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sluice
