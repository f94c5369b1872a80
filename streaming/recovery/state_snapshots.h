// StateSnapshots: the checkpointed state of a streaming application's stateful streams
// (updateStateByKey, mapWithState, windows with an inverse function), Spark's
// checkpointed state RDDs. At every checkpoint interval of its own (kLineageCutBatches
// slides unless DStream::checkpoint(interval) says otherwise) a stateful stream collects
// its state to the driver to cut its lineage (DStreamNode::checkpointBefore); with a
// checkpoint directory it also hands that state here, serialized, and the next
// checkpoint holds it. A
// restarted driver gives each stream back its snapshots, so that it recomputes only the
// batches after them, from the blocks in the WAL.
//
// THREADING: thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "streaming/duration.h"

namespace sluice {

struct StateSnapshot {
  int64_t time = 0;   // the batch time whose state it is
  std::string bytes;  // the state's partitions, serialized
  template <class A> void serialize(A& ar) { ar(time, bytes); }
};

// Stream id -> its snapshots, oldest first.
using SavedStates = std::map<int32_t, std::vector<StateSnapshot>>;

class StateSnapshots {
 public:
  using Restore = std::function<void(const StateSnapshot&)>;

  // A stateful stream, in graph construction order (so that the same application code
  // gets the same ids in a restarted driver). restore() puts a snapshot back.
  int add(Restore restore);
  bool empty() const;
  void save(int id, Time t, std::string bytes);
  // Drops the snapshots that no batch from `from` on needs (those older than each
  // stream's newest one before `from`) and returns the rest.
  SavedStates keepFrom(Time from);
  // The oldest batch time a restart from `saved` recomputes from: its oldest snapshot, or
  // zero_time when a stream has none yet.
  Time oldestNeeded(const SavedStates& saved, Time zero_time) const;
  // Hands each stream its saved snapshots. A snapshot of an unknown stream is an error
  // (std::invalid_argument): the graph identity check should have refused it.
  void restore(const SavedStates& saved) const;

 private:
  mutable std::mutex mu_;
  std::vector<Restore> restore_;
  SavedStates saved_;
};

}  // namespace sluice
