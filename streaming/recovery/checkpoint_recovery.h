// recoverFromCheckpoint: what StreamingContext::start() takes over from an earlier run of
// the driver in its checkpoint directory (the restore path of Spark's getOrCreate). The
// application's create() has built the graph again (code cannot be read back from disk);
// from the newest checkpoint it takes the batch times (zero time), the stateful streams'
// states and the batches that were pending, and, with the receiver WAL on, from the
// metadata WAL (block_metadata_log.h) the blocks each batch had and the blocks no batch
// took. A checkpoint written by another graph or batch interval is refused.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/conf.h"
#include "streaming/duration.h"
#include "streaming/recovery/block_metadata_log.h"
#include "streaming/recovery/state_snapshots.h"
#include "streaming/recovery/streaming_checkpoint.h"
#include "streaming/streaming_settings.h"

namespace sluice {

class DStreamGraph;
class ReceiverTracker;

struct CheckpointRecovery {
  std::unique_ptr<StreamingCheckpointer> checkpointer;  // for this run's checkpoints
  std::string graph_identity;                           // graphIdentity() of the graph
  std::optional<Time> zero_time;  // the earlier run's, when there was a checkpoint
  SavedStates states;             // for StateSnapshots::restore()
  std::vector<Time> rerun;        // incomplete batches, oldest first, re-run at their times
  // With the receiver WAL on, the open metadata WAL, already handed to receivers
  // (ReceiverTracker::setMetadataLog()): it must outlive them.
  std::unique_ptr<BlockMetadataLog> metadata_log;
};

// Loads the newest checkpoint in dir (none is fine: a first run) and, with
// settings.receiver_wal, opens the metadata WAL in dir/receivedBlockMetadata and hands
// what it logged to receivers (ReceiverTracker::restore()). Without the receiver WAL the
// pending batches are lost (logged): nothing says what they read. Throws
// std::invalid_argument for another graph's or batch interval's checkpoint and for bad
// wal.* settings, std::runtime_error when the metadata WAL cannot be opened or read.
CheckpointRecovery recoverFromCheckpoint(const std::string& dir, const DStreamGraph& graph, Duration batch,
                                         const StreamingSettings& settings, const Conf& conf,
                                         ReceiverTracker& receivers);

}  // namespace sluice
