#include "worker/machine_resources.h"

#include <catch2/catch.hpp>

namespace sluice::worker {
namespace {

TEST_CASE("a worker offers the machine's memory minus 1 GiB, at least 1 GiB", "[worker]") {
  CHECK(workerMemoryMbFor(24 * 1024) == 23 * 1024);
  CHECK(workerMemoryMbFor(2048) == 1024);
  CHECK(workerMemoryMbFor(1500) == 1024);
  CHECK(workerMemoryMbFor(0) == 1024);  // unknown
  CHECK(defaultWorkerMemoryMb() >= 1024);
}

TEST_CASE("a worker offers at least one core", "[worker]") { CHECK(defaultWorkerCores() >= 1); }

}  // namespace
}  // namespace sluice::worker
