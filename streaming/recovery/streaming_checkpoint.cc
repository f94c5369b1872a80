#include "streaming/recovery/streaming_checkpoint.h"

#include <functional>
#include <sstream>

#include <spdlog/spdlog.h>

#include "common/serialize.h"
#include "streaming/dstream/dstream_graph.h"

namespace sluice {

namespace {

void describe(const DStreamBase& s, std::ostringstream& out) {
  out << s.name() << "/" << s.slideDuration().ms << "(";
  for (const auto& dep : s.dependencies()) {
    describe(*dep, out);
    out << ",";
  }
  out << ")";
}

}  // namespace

std::string graphIdentity(const DStreamGraph& graph) {
  std::ostringstream out;
  for (const auto& input : graph.inputs()) out << "in" << input->id() << ":" << input->stream()->name() << ";";
  for (const auto& output : graph.outputs()) {
    out << "out:";
    describe(*output->stream(), out);
    out << ";";
  }
  std::ostringstream hex;
  hex << std::hex << std::hash<std::string>{}(out.str());
  return hex.str();
}

StreamingCheckpointer::StreamingCheckpointer(const std::string& dir, int keep, Duration interval)
    : dir_(dir + "/metadata"), interval_(interval), files_(dir_, keep < 1 ? 1 : keep) {}

StatusOr<std::optional<StreamingCheckpoint>> StreamingCheckpointer::loadFor(const std::string& identity,
                                                                            Duration batch) const {
  auto loaded = files_.readLatest();
  if (!loaded) {
    if (loaded.status().code() == StatusCode::kNotFound) return std::optional<StreamingCheckpoint>{};
    return Status(loaded.status().code(), "cannot read the checkpoints in " + dir_ + ": " + loaded.status().message());
  }
  for (const auto& skipped : loaded->skipped) spdlog::warn("checkpoint passed over: {}", skipped);
  StreamingCheckpoint cp;
  Status st = fromBytes(loaded->blob, cp);
  if (!st) return Status::corruption("checkpoint-" + std::to_string(loaded->time_ms) + " in " + dir_ + ": " + st.message());
  if (cp.version != StreamingCheckpoint::kVersion) {
    return Status::invalidArgument("checkpoint in " + dir_ + " has format version " + std::to_string(cp.version) +
                                   ", this driver reads version " + std::to_string(StreamingCheckpoint::kVersion));
  }
  if (cp.graph_identity == identity && cp.batch_ms != batch.ms) {
    // Spark takes the interval from the checkpoint; here the graph is rebuilt by code, at
    // the interval in effect (streaming.batchDuration may have changed it), so refuse.
    return Status::invalidArgument(
        "the checkpoint in " + dir_ + " was written at batch interval " + std::to_string(cp.batch_ms) +
        " ms, and this driver's is " + std::to_string(batch.ms) + " ms: restart at " + std::to_string(cp.batch_ms) +
        " ms (the interval in code, or streaming.batchDuration / sluice-submit --batch-duration), or use another "
        "checkpoint directory");
  }
  if (cp.graph_identity != identity || cp.batch_ms != batch.ms) {
    return Status::invalidArgument(
        "the checkpoint in " + dir_ + " was written by a different application (DStream graph " + cp.graph_identity +
        ", batch " + std::to_string(cp.batch_ms) + " ms; this one is graph " + identity + ", batch " +
        std::to_string(batch.ms) + " ms): use another checkpoint directory, or delete this one to start afresh");
  }
  return std::optional<StreamingCheckpoint>(std::move(cp));
}

StatusOr<bool> StreamingCheckpointer::maybeWrite(StreamingCheckpoint cp, int64_t now_ms, bool force) {
  if (!force && !due(now_ms)) return false;
  cp.time_ms = now_ms;
  Status st = files_.write(toBytes(cp), now_ms);
  if (!st) return st;
  last_write_ms_ = now_ms;
  return true;
}

}  // namespace sluice
