// Broadcast<T>: a read-only value sent once to each executor (Spark's broadcast variable).
// The handle is trivially copyable, so lambdas may capture it; value() decodes the bytes on
// first use in a process and caches them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/serialize.h"
#include "common/status.h"

namespace sluice {

// Process-wide cache of broadcast values. Thread-safe.
class BroadcastCache {
 public:
  using Fetcher = std::function<StatusOr<std::string>(int64_t id)>;
  using Decoder = std::shared_ptr<const void> (*)(const std::string& bytes);

  static BroadcastCache& instance();
  // Installed by the executor runtime: how to get a broadcast's bytes from the driver.
  void setFetcher(Fetcher fetcher);
  void put(int64_t id, std::shared_ptr<const void> value);
  // The cached value, or fetched and decoded. Throws std::runtime_error when it cannot.
  std::shared_ptr<const void> get(int64_t id, Decoder decode);
  void remove(int64_t id);

 private:
  struct Impl;
  BroadcastCache();
  Impl* impl_;
};

template <class T>
class Broadcast {
 public:
  Broadcast() = default;
  explicit Broadcast(int64_t id) : id_(id) {}
  int64_t id() const { return id_; }

  // Valid while the application runs.
  const T& value() const {
    auto p = BroadcastCache::instance().get(id_, &decode);
    return *static_cast<const T*>(p.get());
  }

 private:
  static std::shared_ptr<const void> decode(const std::string& bytes) {
    auto value = std::make_shared<T>();
    Status st = fromBytes(bytes, *value);
    if (!st) throw std::runtime_error("cannot decode broadcast: " + st.message());
    return value;
  }
  int64_t id_ = -1;
};

}  // namespace sluice
