#include "driver/receiver_tracker.h"

namespace sluice {

void ReceiverTracker::addBlock(ReceivedBlockInfo block) {
  std::lock_guard<std::mutex> lock(mu_);
  unallocated_[block.stream_id].push_back(std::move(block));
}

void ReceiverTracker::allocateBlocksToBatch(Time t) {
  std::lock_guard<std::mutex> lock(mu_);
  if (allocated_.count(t)) return;
  auto& batch = allocated_[t];
  for (auto& [stream, blocks] : unallocated_) {
    batch[stream].assign(std::make_move_iterator(blocks.begin()), std::make_move_iterator(blocks.end()));
    blocks.clear();
  }
}

std::vector<ReceivedBlockInfo> ReceiverTracker::blocksOfBatch(Time t, int stream_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = allocated_.find(t);
  if (it == allocated_.end()) return {};
  auto s = it->second.find(stream_id);
  return s == it->second.end() ? std::vector<ReceivedBlockInfo>{} : s->second;
}

void ReceiverTracker::cleanupBefore(Time t) {
  std::lock_guard<std::mutex> lock(mu_);
  allocated_.erase(allocated_.begin(), allocated_.lower_bound(t));
}

bool ReceiverTracker::hasUnallocatedBlocks() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [stream, blocks] : unallocated_) {
    if (!blocks.empty()) return true;
  }
  return false;
}

}  // namespace sluice
