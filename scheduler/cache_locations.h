// CacheLocations: which executors hold cached partitions of persisted RDDs (the driver's
// view of Spark's BlockManagerMaster for RDD blocks). Executors report the partitions a
// task cached in its TaskStatus; an executor's entries go when it is lost.
//
// THREADING: thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rdd/rdd_base.h"

namespace sluice {

class CacheLocations {
 public:
  void add(int rdd_id, int split, const std::string& executor_id, const std::string& host);
  void removeExecutor(const std::string& executor_id);
  void removeRdd(int rdd_id);
  // "executor:<id>" and host of every executor holding the partition.
  std::vector<std::string> get(int rdd_id, int split) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<int, int>, std::map<std::string, std::string>> where_;  // -> executor -> host
};

// Where split of rdd should run: the executors caching it or, following one-to-one narrow
// dependencies, a cached ancestor's partition; else rdd's own preferred locations.
std::vector<std::string> preferredLocationsWithCache(const CacheLocations& cache, const std::shared_ptr<RDDBase>& rdd,
                                                     int split);

}  // namespace sluice
