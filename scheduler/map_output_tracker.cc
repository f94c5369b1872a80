#include "scheduler/map_output_tracker.h"

namespace sluice {

void MapOutputTracker::registerShuffle(int shuffle_id, int num_maps) {
  std::lock_guard<std::mutex> lock(mu_);
  outputs_.try_emplace(shuffle_id, static_cast<size_t>(num_maps));
}

bool MapOutputTracker::hasShuffle(int shuffle_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return outputs_.count(shuffle_id) > 0;
}

void MapOutputTracker::registerOutput(int shuffle_id, int map_id, rpc::MapLocation location) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = outputs_.find(shuffle_id);
  if (it == outputs_.end() || map_id < 0 || static_cast<size_t>(map_id) >= it->second.size()) return;
  location.map_id = map_id;
  it->second[map_id] = std::move(location);
}

void MapOutputTracker::unregisterOutput(int shuffle_id, int map_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = outputs_.find(shuffle_id);
  if (it == outputs_.end() || map_id < 0 || static_cast<size_t>(map_id) >= it->second.size()) return;
  it->second[map_id].reset();
}

int MapOutputTracker::removeOutputsOnExecutor(const std::string& executor_id) {
  std::lock_guard<std::mutex> lock(mu_);
  int lost = 0;
  for (auto& [id, maps] : outputs_) {
    for (auto& loc : maps) {
      if (loc && loc->executor_id == executor_id) {
        loc.reset();
        ++lost;
      }
    }
  }
  return lost;
}

int MapOutputTracker::numAvailable(int shuffle_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = outputs_.find(shuffle_id);
  if (it == outputs_.end()) return 0;
  int n = 0;
  for (auto& loc : it->second) n += loc.has_value();
  return n;
}

std::vector<int> MapOutputTracker::missingMaps(int shuffle_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> missing;
  auto it = outputs_.find(shuffle_id);
  if (it == outputs_.end()) return missing;
  for (size_t i = 0; i < it->second.size(); ++i) {
    if (!it->second[i]) missing.push_back(static_cast<int>(i));
  }
  return missing;
}

std::vector<rpc::MapLocation> MapOutputTracker::locations(int shuffle_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<rpc::MapLocation> out;
  auto it = outputs_.find(shuffle_id);
  if (it == outputs_.end()) return out;
  for (auto& loc : it->second) {
    if (loc) out.push_back(*loc);
  }
  return out;
}

void MapOutputTracker::unregisterShuffle(int shuffle_id) {
  std::lock_guard<std::mutex> lock(mu_);
  outputs_.erase(shuffle_id);
}

}  // namespace sluice
