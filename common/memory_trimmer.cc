#include "common/memory_trimmer.h"

#include <unistd.h>

#include <fstream>

#include <spdlog/spdlog.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sluice {

namespace {

// Resident bytes of this process (/proc/self/statm), 0 when unreadable.
long residentBytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds interval) {
  if (interval.count() > 0) thread_ = std::thread([this, interval] { run(interval); });
}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

long MemoryTrimmer::trimNow() {
#if defined(__GLIBC__)
  long before = residentBytes();
  malloc_trim(0);
  long released = before - residentBytes();
  return released > 0 ? released : 0;
#else
  return 0;
#endif
}

void MemoryTrimmer::run(std::chrono::milliseconds interval) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
    lock.unlock();
    long released = trimNow();
    if (released > 0) spdlog::debug("gave {} KiB of free heap back to the system", released / 1024);
    lock.lock();
  }
}

}  // namespace sluice
