// BufferPool: a shared buffer comes back once its last reference is gone, with its memory,
// also when the pool's owner is gone first; the pool keeps no more than its bounds.
#include "common/buffer_pool.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace sluice {
namespace {

TEST_CASE("a shared buffer comes back to the pool with its memory once the last reference is gone",
          "[buffer_pool]") {
  auto pool = BufferPool::create(4, 1 << 20);
  std::string bytes = pool->take(1000);
  REQUIRE(bytes.empty());
  REQUIRE(bytes.capacity() >= 1000);
  bytes.assign(900, 'x');
  const char* memory = bytes.data();
  auto shared = pool->share(std::move(bytes));
  REQUIRE(*shared == std::string(900, 'x'));
  auto other = shared;
  shared.reset();
  REQUIRE(pool->pooledBuffers() == 0);  // still referenced
  other.reset();
  REQUIRE(pool->pooledBuffers() == 1);
  std::string again = pool->take(500);
  REQUIRE(again.empty());
  REQUIRE(again.data() == memory);  // the same memory, emptied
  REQUIRE(pool->pooledBuffers() == 0);
}

TEST_CASE("the pool keeps at most its count and bytes, and a buffer outliving the pool is freed",
          "[buffer_pool]") {
  auto pool = BufferPool::create(2, 10000);
  std::vector<std::shared_ptr<const std::string>> held;
  for (int i = 0; i < 4; ++i) held.push_back(pool->share(pool->take(3000)));
  held.clear();
  REQUIRE(pool->pooledBuffers() == 2);
  REQUIRE(pool->pooledBytes() <= 10000);
  auto big = pool->share(pool->take(20000));
  big.reset();
  REQUIRE(pool->pooledBuffers() <= 2);
  REQUIRE(pool->pooledBytes() <= 10000);

  auto last = pool->share(std::string(100, 'y'));
  pool.reset();  // the owner is gone; the buffer keeps the pool until it is released
  REQUIRE(*last == std::string(100, 'y'));
  last.reset();
}

}  // namespace
}  // namespace sluice
