// RemovedIds: the ids of RDDs (or shuffles) the driver told this executor to remove, so
// that a task that finishes later does not store them again.
//
// Why: a task can compute a cached partition after its RDD was unpersisted — a window
// whose previous window's cached partition is on another executor recomputes the chain of
// earlier windows down to the last lineage cut, and a task in flight when RemoveBlocks
// arrives finishes afterwards. Stored again, such partitions would stay on the executor
// for ever (nothing removes an RDD twice); the soak benchmark saw an executor grow 22
// MB/min that way. The same holds for a map task of a removed shuffle.
//
// The price: an RDD unpersisted and then persisted again is recomputed, not cached, on
// the executors that removed it (streaming never does that; its RDD ids are fresh).
//
// Bounded: the most recent kCapacity ids are kept (an id is removed once and ids only
// grow, so an id older than that is never computed again in practice). Not thread-safe:
// the owner (BlockManager) locks.
#pragma once

#include <cstddef>
#include <deque>
#include <unordered_set>

namespace sluice {

class RemovedIds {
 public:
  static constexpr std::size_t kCapacity = 65536;

  void add(int id) {
    if (!ids_.insert(id).second) return;
    order_.push_back(id);
    if (order_.size() > kCapacity) {
      ids_.erase(order_.front());
      order_.pop_front();
    }
  }
  bool contains(int id) const { return ids_.count(id) > 0; }

 private:
  std::unordered_set<int> ids_;
  std::deque<int> order_;
};

}  // namespace sluice
