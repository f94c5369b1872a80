#include "scheduler/cache_locations.h"

namespace sluice {

void CacheLocations::add(int rdd_id, int split, const std::string& executor_id, const std::string& host) {
  std::lock_guard<std::mutex> lock(mu_);
  where_[{rdd_id, split}][executor_id] = host;
}

void CacheLocations::removeExecutor(const std::string& executor_id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = where_.begin(); it != where_.end();) {
    it->second.erase(executor_id);
    it = it->second.empty() ? where_.erase(it) : std::next(it);
  }
}

void CacheLocations::removeRdd(int rdd_id) {
  std::lock_guard<std::mutex> lock(mu_);
  where_.erase(where_.lower_bound({rdd_id, 0}), where_.lower_bound({rdd_id + 1, 0}));
}

std::vector<std::string> CacheLocations::get(int rdd_id, int split) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  auto it = where_.find({rdd_id, split});
  if (it == where_.end()) return out;
  for (const auto& [executor_id, host] : it->second) {
    out.push_back("executor:" + executor_id);
    out.push_back(host);
  }
  return out;
}

std::vector<std::string> preferredLocationsWithCache(const CacheLocations& cache, const std::shared_ptr<RDDBase>& rdd,
                                                     int split) {
  const RDDBase* r = rdd.get();
  while (r) {
    if (r->storageLevel() != StorageLevel::kNone) {
      auto locs = cache.get(r->id(), split);
      if (!locs.empty()) return locs;
    }
    auto deps = r->dependencies();
    // Only a single narrow parent with as many partitions maps split to split.
    if (deps.size() != 1 || !deps[0].narrow_parent || deps[0].narrow_parent->numPartitions() != r->numPartitions()) {
      break;
    }
    r = deps[0].narrow_parent.get();
  }
  return rdd->preferredLocations(split);
}

}  // namespace sluice
