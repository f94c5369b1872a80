#include "master/scheduling.h"

#include <catch2/catch.hpp>
#include <climits>
#include <map>

namespace sluice::master {
namespace {

// Cores granted per worker index.
std::map<size_t, int> coresPerWorker(const std::vector<ExecutorAllocation>& allocs) {
  std::map<size_t, int> out;
  for (const auto& a : allocs) out[a.worker] += a.cores;
  return out;
}

TEST_CASE("spreadOut places one executor per worker per round", "[master]") {
  std::vector<WorkerSlot> workers = {{8, 8192}, {8, 8192}, {8, 8192}};
  auto allocs = allocateExecutors({1, 512, 6}, workers, /*spread_out=*/true);
  REQUIRE(allocs.size() == 6);
  CHECK(coresPerWorker(allocs) == std::map<size_t, int>{{0, 2}, {1, 2}, {2, 2}});
  // Round robin: the first three go to three different workers.
  CHECK(allocs[0].worker != allocs[1].worker);
  CHECK(allocs[1].worker != allocs[2].worker);
  CHECK(allocs[0].worker != allocs[2].worker);
}

TEST_CASE("packed scheduling fills one worker before the next", "[master]") {
  std::vector<WorkerSlot> workers = {{8, 8192}, {8, 8192}, {8, 8192}};
  auto allocs = allocateExecutors({2, 512, 10}, workers, /*spread_out=*/false);
  REQUIRE(allocs.size() == 5);
  CHECK(coresPerWorker(allocs) == std::map<size_t, int>{{0, 8}, {1, 2}});
}

TEST_CASE("executors get exactly executor_cores, leftover cores stay free", "[master]") {
  std::vector<WorkerSlot> workers = {{5, 8192}, {3, 8192}};
  auto allocs = allocateExecutors({2, 100, INT32_MAX}, workers, true);
  for (const auto& a : allocs) CHECK(a.cores == 2);
  // 5 free -> two executors, 3 free -> one executor; one core left on each.
  CHECK(coresPerWorker(allocs) == std::map<size_t, int>{{0, 4}, {1, 2}});
}

TEST_CASE("max_cores caps the total, a remainder below executor_cores is not granted", "[master]") {
  std::vector<WorkerSlot> workers = {{8, 8192}, {8, 8192}};
  CHECK(allocateExecutors({1, 100, 3}, workers, true).size() == 3);
  auto allocs = allocateExecutors({2, 100, 5}, workers, true);
  CHECK(allocs.size() == 2);  // 4 cores: a third executor would exceed the cap of 5
  CHECK(allocateExecutors({4, 100, 3}, workers, true).empty());
}

TEST_CASE("memory limits executors per worker and skips workers without room", "[master]") {
  std::vector<WorkerSlot> workers = {{8, 1000}, {8, 300}, {8, 2100}};
  auto allocs = allocateExecutors({1, 1000, INT32_MAX}, workers, true);
  // worker 0 fits one 1000 MB executor, worker 1 none, worker 2 two.
  CHECK(coresPerWorker(allocs) == std::map<size_t, int>{{0, 1}, {2, 2}});
  CHECK(allocateExecutors({1, 4096, INT32_MAX}, workers, true).empty());
}

TEST_CASE("no workers or no free cores gives no executors", "[master]") {
  CHECK(allocateExecutors({1, 100, INT32_MAX}, {}, true).empty());
  CHECK(allocateExecutors({1, 100, INT32_MAX}, {{0, 8192}}, true).empty());
  CHECK(allocateExecutors({1, 100, 0}, {{4, 8192}}, true).empty());
}

TEST_CASE("without executor_cores each worker gets one executor with all the cores the app can take there",
          "[master]") {
  std::vector<WorkerSlot> two_by_two = {{2, 8192}, {2, 8192}};
  // --total-executor-cores 4 on two 2-core workers: one 2-core executor on each.
  CHECK(allocateExecutors({0, 1024, 4}, two_by_two, true) ==
        std::vector<ExecutorAllocation>{{0, 2}, {1, 2}});
  CHECK(allocateExecutors({0, 1024, 4}, two_by_two, false) ==
        std::vector<ExecutorAllocation>{{0, 2}, {1, 2}});
  // No cap: every free core, still one executor per worker.
  CHECK(allocateExecutors({0, 1024, INT32_MAX}, {{8, 8192}, {3, 8192}}, true) ==
        std::vector<ExecutorAllocation>{{0, 8}, {1, 3}});
  // A cap spreads the cores over the workers one at a time, or fills the first when packed.
  CHECK(allocateExecutors({0, 1024, 3}, {{4, 8192}, {4, 8192}}, true) ==
        std::vector<ExecutorAllocation>{{0, 2}, {1, 1}});
  CHECK(allocateExecutors({0, 1024, 3}, {{4, 8192}, {4, 8192}}, false) == std::vector<ExecutorAllocation>{{0, 3}});
}

TEST_CASE("one executor per worker needs the memory of one executor there, not one per core", "[master]") {
  // 8 cores and room for a single 1000 MB executor: one 8-core executor; no room: none.
  CHECK(allocateExecutors({0, 1000, INT32_MAX}, {{8, 1000}, {8, 999}}, true) ==
        std::vector<ExecutorAllocation>{{0, 8}});
}

TEST_CASE("with executor_cores set, a worker runs as many executors of that size as fit", "[master]") {
  CHECK(allocateExecutors({1, 1024, 4}, {{2, 8192}, {2, 8192}}, true).size() == 4);
  CHECK(allocateExecutors({2, 1024, 4}, {{2, 8192}, {2, 8192}}, true) ==
        std::vector<ExecutorAllocation>{{0, 2}, {1, 2}});
}

TEST_CASE("drivers go round robin to the first worker with room", "[master]") {
  std::vector<WorkerSlot> workers = {{1, 4096}, {4, 512}, {4, 4096}};
  CHECK(pickDriverWorker(workers, 1, 1024, 0) == std::optional<size_t>(0));
  CHECK(pickDriverWorker(workers, 1, 1024, 1) == std::optional<size_t>(2));
  CHECK(pickDriverWorker(workers, 2, 1024, 0) == std::optional<size_t>(2));
  CHECK(pickDriverWorker(workers, 8, 1024, 0) == std::nullopt);
  CHECK(pickDriverWorker({}, 1, 1, 0) == std::nullopt);
}

}  // namespace
}  // namespace sluice::master
