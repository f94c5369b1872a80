// CheckpointWriter: writes a running StreamingContext's checkpoints (Spark's
// CheckpointWriter and the contents of its Checkpoint) through a StreamingCheckpointer:
// the graph identity, batch interval and zero time, the configuration, the batches
// generated but not completed, and the stateful streams' states that a restart from them
// needs. Once a checkpoint is written, the receiver WAL and the metadata WAL keep only what
// a restart from it may read again (ReceiverTracker::retainFrom()).
//
// THREADING: write() is thread-safe (batch completions on the job threads, start() and
// stop()); it runs one write at a time.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/conf.h"
#include "streaming/duration.h"
#include "streaming/recovery/state_snapshots.h"
#include "streaming/recovery/streaming_checkpoint.h"

namespace sluice {

class DStreamGraph;
class JobGenerator;
class JobScheduler;
class ReceiverTracker;

class CheckpointWriter {
 public:
  // What a checkpoint is made of; every reference must outlive the writer.
  struct Sources {
    const DStreamGraph& graph;
    const JobScheduler& jobs;          // the pending batches
    const JobGenerator& generator;     // the last generated batch
    StateSnapshots& states;
    ReceiverTracker& receivers;        // told what the WALs must keep
    const Conf& conf;
  };

  CheckpointWriter(std::unique_ptr<StreamingCheckpointer> checkpointer, std::string graph_identity, Duration batch,
                   Time zero_time, Sources sources);

  // Writes a checkpoint when streaming.checkpoint.interval passed since the last one, or
  // at once with force. A failed write is logged and streaming goes on.
  void write(bool force);

 private:
  std::mutex mu_;  // one write at a time
  std::unique_ptr<StreamingCheckpointer> checkpointer_;
  const std::string graph_identity_;
  const Duration batch_;
  const Time zero_time_;
  Sources sources_;
};

}  // namespace sluice
