#include "streaming/received_block_tracker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "streaming/recovery/block_metadata_log.h"
#include "wal/write_ahead_log.h"

namespace sluice {

namespace {

// Deletes the segments of the receiver WAL in dir that end at or before threshold. The
// executor that writes there never writes to a segment whose time range has passed, so
// this is safe while it runs.
void cleanupReceiverWal(const std::string& dir, Time threshold, wal::FileSystem* fs) {
  if (threshold <= 0) return;
  wal::WalOptions options;
  options.append_to_last_segment = false;
  options.fs = fs;
  auto log = wal::WriteAheadLog::open(dir, options);
  if (!log) {
    spdlog::warn("cannot clean up the receiver WAL in {}: {}", dir, log.status().message());
    return;
  }
  auto removed = (*log)->cleanup(threshold);
  if (!removed) {
    spdlog::warn("cannot clean up the receiver WAL in {}: {}", dir, removed.status().message());
  } else if (*removed > 0) {
    spdlog::debug("receiver WAL {}: deleted {} old segments", dir, *removed);
  }
}

}  // namespace

void ReceivedBlockTracker::restore(RecoveredBlocks recovered) {
  std::lock_guard<std::mutex> lock(mu_);
  // Blocks in the order they were reported: allocated ones by batch, then the rest.
  auto note = [this](const ReceivedBlockInfo& b) {
    if (!b.position.empty()) positions_[b.stream_id] = b.position;
  };
  for (auto& [t, blocks] : recovered.allocations) {
    auto& batch = allocated_[t];
    for (auto& b : blocks) {
      note(b);
      batch[b.stream_id].push_back(std::move(b));
    }
  }
  for (auto& b : recovered.unallocated) {
    note(b);
    unallocated_[b.stream_id].push_back(std::move(b));
  }
}

Status ReceivedBlockTracker::addBlock(ReceivedBlockInfo block) {
  std::lock_guard<std::mutex> lock(mu_);
  if (metadata_log_) {
    Status st = metadata_log_->blockAdded(block);
    if (!st) {
      return Status::ioError("cannot log block " + block.block_id + " to the block metadata log: " + st.message());
    }
  }
  if (!block.position.empty()) positions_[block.stream_id] = block.position;
  unallocated_[block.stream_id].push_back(std::move(block));
  return Status::ok();
}

Status ReceivedBlockTracker::allocateBlocksToBatch(Time t) {
  std::lock_guard<std::mutex> lock(mu_);
  if (allocated_.count(t)) return Status::ok();  // allocated already (or restored: a re-run batch)
  if (metadata_log_) {
    std::vector<ReceivedBlockInfo> all;
    for (const auto& [stream, blocks] : unallocated_) all.insert(all.end(), blocks.begin(), blocks.end());
    Status st = metadata_log_->batchAllocated(t, all);
    if (!st) {
      return Status::ioError("cannot log the allocation of batch " + std::to_string(t) +
                             " to the block metadata log (its blocks stay for the next batch): " + st.message());
    }
  }
  // No stream ever reported a block (an application without receivers): nothing to keep,
  // and no cleanupOldBlocks() would ever drop an entry made for t.
  if (unallocated_.empty()) return Status::ok();
  auto& batch = allocated_[t];
  for (auto& [stream, blocks] : unallocated_) {
    if (blocks.empty()) continue;
    batch[stream].assign(std::make_move_iterator(blocks.begin()), std::make_move_iterator(blocks.end()));
    blocks.clear();
  }
  return Status::ok();
}

Status ReceivedBlockTracker::batchCompleted(Time t) {
  if (!metadata_log_) return Status::ok();
  Status st = metadata_log_->batchCompleted(t);
  if (!st) {
    return Status::ioError("cannot log the completion of batch " + std::to_string(t) +
                           " to the block metadata log: " + st.message());
  }
  return Status::ok();
}

std::vector<ReceivedBlockInfo> ReceivedBlockTracker::blocksOfBatch(Time t, int stream_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = allocated_.find(t);
  if (it == allocated_.end()) return {};
  auto s = it->second.find(stream_id);
  return s == it->second.end() ? std::vector<ReceivedBlockInfo>{} : s->second;
}

std::vector<ReceivedBlockInfo> ReceivedBlockTracker::unallocatedBlocks(int stream_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = unallocated_.find(stream_id);
  if (it == unallocated_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

bool ReceivedBlockTracker::hasUnallocatedBlocks() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::any_of(unallocated_.begin(), unallocated_.end(), [](const auto& s) { return !s.second.empty(); });
}

std::string ReceivedBlockTracker::lastPosition(int stream_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = positions_.find(stream_id);
  return it == positions_.end() ? std::string() : it->second;
}

std::vector<ReceivedBlockInfo> ReceivedBlockTracker::cleanupOldBlocks(int stream_id, Time t) {
  std::vector<ReceivedBlockInfo> removed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = allocated_.begin(); it != allocated_.end() && it->first <= t;) {
      auto s = it->second.find(stream_id);
      if (s != it->second.end()) {
        removed.insert(removed.end(), std::make_move_iterator(s->second.begin()),
                       std::make_move_iterator(s->second.end()));
        it->second.erase(s);
      }
      it = it->second.empty() ? allocated_.erase(it) : std::next(it);
    }
  }
  std::set<std::string> wal_dirs;
  for (const auto& b : removed)
    if (!b.wal_dir.empty()) wal_dirs.insert(b.wal_dir);
  Time threshold = std::min<Time>(t, retain_from_.load()) - kWalCleanupMarginMs;
  for (const auto& dir : wal_dirs) cleanupReceiverWal(dir, threshold, receiver_wal_fs_);
  return removed;
}

void ReceivedBlockTracker::retainFrom(Time t) {
  retain_from_ = t;
  if (metadata_log_) metadata_log_->cleanup(t - kWalCleanupMarginMs);
}

}  // namespace sluice
