#include "tests/common/allocation_tracker.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace sluice::testing {
namespace {
std::atomic<std::size_t> g_largest{0};

void* track(std::size_t size) {
  std::size_t seen = g_largest.load(std::memory_order_relaxed);
  while (size > seen && !g_largest.compare_exchange_weak(seen, size, std::memory_order_relaxed)) {
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
}  // namespace

void resetLargestAllocation() { g_largest.store(0, std::memory_order_relaxed); }
std::size_t largestAllocation() { return g_largest.load(std::memory_order_relaxed); }

}  // namespace sluice::testing

void* operator new(std::size_t size) { return sluice::testing::track(size); }
void* operator new[](std::size_t size) { return sluice::testing::track(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
