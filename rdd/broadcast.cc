#include "rdd/broadcast.h"

#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace sluice {

struct BroadcastCache::Impl {
  std::mutex mu;
  Fetcher fetcher;
  std::unordered_map<int64_t, std::shared_ptr<const void>> values;
};

BroadcastCache::BroadcastCache() : impl_(new Impl) {}

BroadcastCache& BroadcastCache::instance() {
  static BroadcastCache* cache = new BroadcastCache();
  return *cache;
}

void BroadcastCache::setFetcher(Fetcher fetcher) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->fetcher = std::move(fetcher);
}

void BroadcastCache::put(int64_t id, std::shared_ptr<const void> value) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->values[id] = std::move(value);
}

std::shared_ptr<const void> BroadcastCache::get(int64_t id, Decoder decode) {
  Fetcher fetcher;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    auto it = impl_->values.find(id);
    if (it != impl_->values.end()) return it->second;
    fetcher = impl_->fetcher;
  }
  if (!fetcher) throw std::runtime_error("broadcast " + std::to_string(id) + " is unknown here");
  auto bytes = fetcher(id);
  if (!bytes) throw std::runtime_error("cannot fetch broadcast " + std::to_string(id) + ": " +
                                       bytes.status().toString());
  auto value = decode(*bytes);
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->values.emplace(id, value).first->second;
}

void BroadcastCache::remove(int64_t id) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->values.erase(id);
}

}  // namespace sluice
