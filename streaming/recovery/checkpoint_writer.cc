#include "streaming/recovery/checkpoint_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"
#include "streaming/dstream/dstream_graph.h"
#include "streaming/job_generator.h"
#include "streaming/job_scheduler.h"
#include "streaming/receiver_tracker.h"

namespace sluice {

CheckpointWriter::CheckpointWriter(std::unique_ptr<StreamingCheckpointer> checkpointer, std::string graph_identity,
                                   Duration batch, Time zero_time, Sources sources)
    : checkpointer_(std::move(checkpointer)),
      graph_identity_(std::move(graph_identity)),
      batch_(batch),
      zero_time_(zero_time),
      sources_(sources) {}

void CheckpointWriter::write(bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = SystemClock().nowMs();
  // Called after every batch: build the checkpoint (state bytes included) only when due.
  if (!(force || checkpointer_->due(now))) return;
  StreamingCheckpoint cp;
  cp.graph_identity = graph_identity_;
  cp.batch_ms = batch_.ms;
  cp.zero_time = zero_time_;
  for (const BatchInfo& b : sources_.jobs.activeBatches()) cp.pending_batches.push_back(b.batch_time);
  // The oldest batch a restart from this checkpoint re-runs, and the state it starts from.
  Time from = cp.pending_batches.empty() ? std::max(sources_.generator.lastGeneratedBatch(), zero_time_)
                                         : *std::min_element(cp.pending_batches.begin(), cp.pending_batches.end());
  cp.states = sources_.states.keepFrom(from);
  cp.conf = sources_.conf.all();
  Time needed =
      std::min(from, sources_.states.oldestNeeded(cp.states, zero_time_)) - sources_.graph.maxRememberDuration().ms;
  auto written = checkpointer_->maybeWrite(std::move(cp), now, true);
  if (!written) {
    spdlog::warn("cannot write a checkpoint: {}", written.status().message());
  } else if (*written) {
    // Blocks a restart from this checkpoint may read again stay in the WAL.
    sources_.receivers.retainFrom(needed);
  }
}

}  // namespace sluice
