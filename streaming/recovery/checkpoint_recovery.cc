#include "streaming/recovery/checkpoint_recovery.h"

#include <spdlog/spdlog.h>

#include <set>
#include <stdexcept>

#include "streaming/dstream/dstream_graph.h"
#include "streaming/receiver_tracker.h"
#include "wal/wal_options.h"

namespace sluice {

CheckpointRecovery recoverFromCheckpoint(const std::string& dir, const DStreamGraph& graph, Duration batch,
                                         const StreamingSettings& settings, const Conf& conf,
                                         ReceiverTracker& receivers) {
  CheckpointRecovery r;
  r.graph_identity = graphIdentity(graph);
  r.checkpointer = std::make_unique<StreamingCheckpointer>(dir, settings.checkpoint_keep,
                                                           Milliseconds(settings.checkpoint_interval.count()));
  auto loaded = r.checkpointer->loadFor(r.graph_identity, batch);
  if (!loaded) throw std::invalid_argument(loaded.status().message());
  std::set<Time> rerun;
  if (*loaded) {
    const StreamingCheckpoint& cp = **loaded;
    spdlog::info("recovering from the checkpoint of {} in {}: {} batches were pending, the state of {} streams saved",
                 cp.time_ms, dir, cp.pending_batches.size(), cp.states.size());
    r.zero_time = cp.zero_time;  // the same batch times as before, windows aligned as before
    r.states = cp.states;
    // Without the metadata WAL nothing says what a pending batch read: re-running it would
    // replace its output with an empty one.
    if (settings.receiver_wal) {
      rerun.insert(cp.pending_batches.begin(), cp.pending_batches.end());
    } else if (!cp.pending_batches.empty() && receivers.hasReceivers()) {
      // Inputs that log what each batch read themselves (a direct Kafka stream's offset
      // ranges) re-run their batches through InputStream::recoverFrom().
      spdlog::warn("recovery: {} batches were pending and are lost: without the receiver WAL "
                   "(streaming.receiver.writeAheadLog.enable) their blocks are not known",
                   cp.pending_batches.size());
    }
  }
  if (settings.receiver_wal) {
    auto options = wal::WalOptions::fromConf(conf);
    if (!options) throw std::invalid_argument(options.status().message());
    auto log = BlockMetadataLog::open(dir + "/receivedBlockMetadata", *options);
    if (!log) throw std::runtime_error(log.status().message());
    auto recovered = (*log)->recover();
    if (!recovered) throw std::runtime_error("cannot recover the block metadata log: " + recovered.status().message());
    for (Time t : recovered->incompleteBatches()) rerun.insert(t);
    if (!recovered->unallocated.empty()) {
      spdlog::warn("recovery: {} blocks reported to the previous driver were in no batch; the next batch processes them",
                   recovered->unallocated.size());
    }
    receivers.restore(std::move(*recovered));
    r.metadata_log = std::move(*log);
    receivers.setMetadataLog(r.metadata_log.get());
  }
  r.rerun.assign(rerun.begin(), rerun.end());
  if (!r.rerun.empty()) spdlog::warn("recovery: re-running {} incomplete batches at their batch times", r.rerun.size());
  return r;
}

}  // namespace sluice
