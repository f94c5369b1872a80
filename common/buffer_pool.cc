#include "common/buffer_pool.h"

namespace sluice {

std::shared_ptr<BufferPool> BufferPool::create(size_t max_buffers, size_t max_bytes) {
  return std::shared_ptr<BufferPool>(new BufferPool(max_buffers, max_bytes));
}

std::string BufferPool::take(size_t capacity) {
  std::string out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      // The largest: blocks vary in size, and a buffer a little too small is of no use (it
      // would be replaced by a new allocation as it grows).
      auto largest = free_.begin();
      for (auto it = free_.begin(); it != free_.end(); ++it) {
        if (it->capacity() > largest->capacity()) largest = it;
      }
      out.swap(*largest);
      free_.erase(largest);
      free_bytes_ -= out.capacity();
    }
  }
  out.clear();
  // A quarter more than asked when allocating, so that the buffer still fits the next,
  // slightly longer blocks when it comes back.
  if (out.capacity() < capacity) out.reserve(capacity + capacity / 4);
  return out;
}

std::shared_ptr<const std::string> BufferPool::share(std::string bytes) {
  auto self = shared_from_this();
  return std::shared_ptr<const std::string>(new std::string(std::move(bytes)),
                                            [self](const std::string* s) { self->giveBack(const_cast<std::string*>(s)); });
}

void BufferPool::giveBack(std::string* bytes) {
  std::unique_ptr<std::string> owned(bytes);
  const size_t capacity = owned->capacity();
  std::lock_guard<std::mutex> lock(mu_);
  if (free_.size() >= max_buffers_ || free_bytes_ + capacity > max_bytes_) return;  // freed
  free_bytes_ += capacity;
  free_.emplace_back();
  free_.back().swap(*owned);
}

size_t BufferPool::pooledBuffers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return free_.size();
}

size_t BufferPool::pooledBytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return free_bytes_;
}

}  // namespace sluice
