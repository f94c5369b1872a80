// StreamingCheckpointer: the driver's periodic checkpoints of a streaming application
// (Spark's Checkpoint and CheckpointWriter), in <checkpoint>/metadata/ as
// wal::CheckpointFiles (atomic, the newest streaming.checkpoint.keep kept, a corrupt newest
// one falling back to the one before). A checkpoint holds the configuration, the identity
// of the DStream graph, the batch interval and zero time, the batches generated but not
// completed, and the stateful streams' states (state_snapshots.h). The blocks those batches read are in the metadata WAL (block_metadata_log.h).
//
// THREADING: maybeWrite() and write() from one thread at a time (the batch-completion
// callback, then stop()).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/conf.h"
#include "common/status.h"
#include "streaming/duration.h"
#include "streaming/recovery/state_snapshots.h"
#include "wal/checkpoint_file.h"

namespace sluice {

class DStreamGraph;

struct StreamingCheckpoint {
  static constexpr int32_t kVersion = 2;
  int32_t version = kVersion;
  int64_t time_ms = 0;  // when it was written
  std::string graph_identity;
  int64_t batch_ms = 0;
  int64_t zero_time = 0;
  std::vector<int64_t> pending_batches;  // generated, not completed
  std::map<std::string, std::string> conf;
  SavedStates states;  // stateful streams' snapshots
  template <class A> void serialize(A& ar) {
    ar(version, time_ms, graph_identity, batch_ms, zero_time, pending_batches, conf, states);
  }
};

// A hash of the graph's structure: every output's chain of streams (their names, slide
// durations and dependencies). The same application code gives the same identity.
std::string graphIdentity(const DStreamGraph& graph);

class StreamingCheckpointer {
 public:
  // dir is the application's checkpoint directory; interval how often maybeWrite() writes.
  StreamingCheckpointer(const std::string& dir, int keep, Duration interval);

  // The newest intact checkpoint, nullopt when there is none. InvalidArgument when it was
  // written by a different graph (identity) or batch interval: a clear error naming both.
  StatusOr<std::optional<StreamingCheckpoint>> loadFor(const std::string& identity, Duration batch) const;

  // Whether maybeWrite() at now_ms would write: the interval passed since the last write.
  bool due(int64_t now_ms) const { return last_write_ms_ < 0 || now_ms - last_write_ms_ >= interval_.ms; }
  // Writes cp when due (or force); true when it wrote.
  StatusOr<bool> maybeWrite(StreamingCheckpoint cp, int64_t now_ms, bool force = false);

  const std::string& dir() const { return dir_; }

 private:
  const std::string dir_;
  Duration interval_;
  wal::CheckpointFiles files_;
  int64_t last_write_ms_ = -1;
};

}  // namespace sluice
