#include "driver/block_metadata_log.h"

#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/serialize.h"

namespace sluice {

namespace {
// One record of the log: kind, then a block (kBlockAdded) or a batch time.
constexpr int32_t kBlockAdded = 1;
constexpr int32_t kBatchAllocated = 2;
constexpr int32_t kBatchCompleted = 3;
// A driver started again and took over every block no completed batch had processed.
constexpr int32_t kRecovered = 4;
}  // namespace

StatusOr<std::unique_ptr<BlockMetadataLog>> BlockMetadataLog::open(const std::string& dir, wal::WalOptions options) {
  auto wal = wal::WriteAheadLog::open(dir, options);
  if (!wal) return Status::ioError("cannot open the block metadata log in " + dir + ": " + wal.status().message());
  return std::unique_ptr<BlockMetadataLog>(new BlockMetadataLog(std::move(*wal)));
}

Status BlockMetadataLog::append(int32_t kind, const ReceivedBlockInfo& block, Time t) {
  auto handle = wal_->write(toBytes(kind, block, t), SystemClock().nowMs());
  return handle ? Status::ok() : handle.status();
}

Status BlockMetadataLog::blockAdded(const ReceivedBlockInfo& block) { return append(kBlockAdded, block, 0); }
Status BlockMetadataLog::batchAllocated(Time t) { return append(kBatchAllocated, {}, t); }
Status BlockMetadataLog::batchCompleted(Time t) { return append(kBatchCompleted, {}, t); }
Status BlockMetadataLog::recovered() { return append(kRecovered, {}, 0); }

StatusOr<RecoveredBlocks> BlockMetadataLog::recover() const {
  // Blocks in report order; each is allocated to at most one batch.
  std::vector<ReceivedBlockInfo> blocks;
  std::vector<Time> batch_of;  // -1: unallocated
  std::vector<size_t> pending;  // blocks the next allocation takes
  std::set<Time> allocated, completed;
  wal::RecoveryReport report;
  Status st = wal_->forEach(
      [&](const wal::RecordHandle&, std::string&& data) {
        int32_t kind = 0;
        ReceivedBlockInfo block;
        Time t = 0;
        Status decoded = fromBytes(data, kind, block, t);
        if (!decoded) {
          spdlog::warn("block metadata log: skipped an undecodable record: {}", decoded.message());
          return Status::ok();
        }
        if (kind == kBlockAdded) {
          pending.push_back(blocks.size());
          blocks.push_back(std::move(block));
          batch_of.push_back(-1);
        } else if (kind == kBatchAllocated) {
          allocated.insert(t);
          for (size_t i : pending) batch_of[i] = t;
          pending.clear();
        } else if (kind == kBatchCompleted) {
          completed.insert(t);
        } else if (kind == kRecovered) {
          // The restarted driver's first allocation took every unprocessed block.
          pending.clear();
          for (size_t i = 0; i < blocks.size(); ++i) {
            if (batch_of[i] < 0 || !completed.count(batch_of[i])) {
              batch_of[i] = -1;
              pending.push_back(i);
            }
          }
          allocated.clear();
          for (Time b : completed) allocated.insert(b);
        }
        return Status::ok();
      },
      &report);
  if (!st) return st;
  RecoveredBlocks out;
  if (!completed.empty()) out.last_completed = *completed.rbegin();
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (batch_of[i] < 0 || !completed.count(batch_of[i])) out.unprocessed.push_back(std::move(blocks[i]));
  }
  for (Time t : allocated)
    if (!completed.count(t)) out.incomplete_batches.push_back(t);
  spdlog::info("block metadata log: {} records in {} segments ({} corrupt regions skipped): {} blocks not processed, "
               "{} incomplete batches",
               report.records, report.segments, report.corruptions, out.unprocessed.size(),
               out.incomplete_batches.size());
  return out;
}

void BlockMetadataLog::cleanup(Time t) {
  auto removed = wal_->cleanup(t);
  if (!removed) spdlog::warn("block metadata log: cleanup failed: {}", removed.status().message());
}

}  // namespace sluice
