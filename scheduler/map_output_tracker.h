// MapOutputTracker: where each map task's shuffle output lives (Spark's
// MapOutputTrackerMaster). Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rpc/executor_messages.h"

namespace sluice {

class MapOutputTracker {
 public:
  void registerShuffle(int shuffle_id, int num_maps);
  bool hasShuffle(int shuffle_id) const;
  void registerOutput(int shuffle_id, int map_id, rpc::MapLocation location);
  void unregisterOutput(int shuffle_id, int map_id);
  // Forgets every output held by the executor; returns how many were lost.
  int removeOutputsOnExecutor(const std::string& executor_id);
  int numAvailable(int shuffle_id) const;
  std::vector<int> missingMaps(int shuffle_id) const;
  // Every output's location; requires all of them to be available.
  std::vector<rpc::MapLocation> locations(int shuffle_id) const;
  void unregisterShuffle(int shuffle_id);

 private:
  mutable std::mutex mu_;
  std::map<int, std::vector<std::optional<rpc::MapLocation>>> outputs_;
};

}  // namespace sluice
