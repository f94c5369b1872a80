#include "worker/machine_resources.h"

#include <sched.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <string>

namespace sluice::worker {

int32_t defaultWorkerCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

int64_t defaultWorkerMemoryMb() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemTotal:", 0) != 0) continue;
    try {
      return workerMemoryMbFor(std::stoll(line.substr(line.find(':') + 1)) / 1024);  // "MemTotal:  24683736 kB"
    } catch (const std::exception&) {
      break;
    }
  }
  return workerMemoryMbFor(0);
}

int64_t workerMemoryMbFor(int64_t total_mb) { return std::max<int64_t>(1024, total_mb - 1024); }

}  // namespace sluice::worker
