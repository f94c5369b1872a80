#include "streaming/recovery/block_metadata_log.h"

#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/serialize.h"

namespace sluice {

namespace {
// One record of the log: kind, blocks (the one reported, or those allocated), batch time.
constexpr int32_t kBlockAdded = 1;
constexpr int32_t kBatchAllocated = 2;
constexpr int32_t kBatchCompleted = 3;
}  // namespace

std::vector<Time> RecoveredBlocks::incompleteBatches() const {
  std::vector<Time> out;
  for (const auto& [t, blocks] : allocations)
    if (!completed.count(t)) out.push_back(t);
  return out;
}

StatusOr<std::unique_ptr<BlockMetadataLog>> BlockMetadataLog::open(const std::string& dir, wal::WalOptions options,
                                                                   const Clock* clock) {
  auto wal = wal::WriteAheadLog::open(dir, options);
  if (!wal) return Status::ioError("cannot open the block metadata log in " + dir + ": " + wal.status().message());
  return std::unique_ptr<BlockMetadataLog>(new BlockMetadataLog(std::move(*wal), clock));
}

Status BlockMetadataLog::append(int32_t kind, const std::vector<ReceivedBlockInfo>& blocks, Time t) {
  auto handle = wal_->write(toBytes(kind, blocks, t), clock_ ? clock_->nowMs() : SystemClock().nowMs());
  return handle ? Status::ok() : handle.status();
}

Status BlockMetadataLog::blockAdded(const ReceivedBlockInfo& block) { return append(kBlockAdded, {block}, 0); }
Status BlockMetadataLog::batchAllocated(Time t, const std::vector<ReceivedBlockInfo>& blocks) {
  return append(kBatchAllocated, blocks, t);
}
Status BlockMetadataLog::batchCompleted(Time t) { return append(kBatchCompleted, {}, t); }

StatusOr<RecoveredBlocks> BlockMetadataLog::recover() const {
  RecoveredBlocks out;
  std::vector<ReceivedBlockInfo> reported;  // in report order
  std::set<std::string> taken;              // block ids some allocation holds
  wal::RecoveryReport report;
  Status st = wal_->forEach(
      [&](const wal::RecordHandle&, std::string&& data) {
        int32_t kind = 0;
        std::vector<ReceivedBlockInfo> blocks;
        Time t = 0;
        Status decoded = fromBytes(data, kind, blocks, t);
        if (!decoded) {
          spdlog::warn("block metadata log: skipped an undecodable record: {}", decoded.message());
        } else if (kind == kBlockAdded) {
          reported.insert(reported.end(), std::make_move_iterator(blocks.begin()), std::make_move_iterator(blocks.end()));
        } else if (kind == kBatchAllocated) {
          for (const auto& b : blocks) taken.insert(b.block_id);
          out.allocations[t] = std::move(blocks);
        } else if (kind == kBatchCompleted) {
          out.completed.insert(t);
        }
        return Status::ok();
      },
      &report);
  if (!st) return st;
  for (auto& b : reported)
    if (!taken.count(b.block_id)) out.unallocated.push_back(std::move(b));
  spdlog::info("block metadata log: {} records in {} segments ({} corrupt regions skipped): {} batches allocated, "
               "{} of them incomplete, {} blocks unallocated",
               report.records, report.segments, report.corruptions, out.allocations.size(),
               out.incompleteBatches().size(), out.unallocated.size());
  return out;
}

void BlockMetadataLog::cleanup(Time t) {
  auto removed = wal_->cleanup(t);
  if (!removed) spdlog::warn("block metadata log: cleanup failed: {}", removed.status().message());
}

}  // namespace sluice
