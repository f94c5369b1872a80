// BufferPool: byte buffers (std::string) that come back for reuse once the last reference to
// what was shared out of them is gone. A receiver fills a block of several MB every block
// interval; a fresh allocation of that size is a fresh mapping from the kernel, whose every
// page faults on its first write, and unmapping it when the block is dropped costs again
// (measured: page faults and the copy into new pages were half of YSB's CPU at 1.5M
// events/s). Buffers that come back keep their pages, so the next block is written into
// memory that is already mapped.
//
// The pool keeps at most max_buffers buffers and max_bytes of capacity; a buffer that comes
// back beyond either bound is freed.
//
// THREADING: thread-safe. A shared buffer may be released on any thread, also after the
// pool's owner dropped its reference (the buffers hold the pool alive).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sluice {

class BufferPool : public std::enable_shared_from_this<BufferPool> {
 public:
  static std::shared_ptr<BufferPool> create(size_t max_buffers, size_t max_bytes);

  // An empty buffer with room for at least capacity bytes: the largest returned one (grown
  // when too small), else a new one; what is allocated has a quarter more room than asked.
  std::string take(size_t capacity);
  // Shares bytes; once the last reference is gone, its buffer comes back to the pool.
  std::shared_ptr<const std::string> share(std::string bytes);

  size_t pooledBuffers() const;
  size_t pooledBytes() const;

 private:
  BufferPool(size_t max_buffers, size_t max_bytes) : max_buffers_(max_buffers), max_bytes_(max_bytes) {}
  void giveBack(std::string* bytes);

  const size_t max_buffers_;
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::vector<std::string> free_;  // guarded by mu_
  size_t free_bytes_ = 0;          // guarded by mu_: capacity of free_
};

}  // namespace sluice
