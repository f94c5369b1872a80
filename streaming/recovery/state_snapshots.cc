#include "streaming/recovery/state_snapshots.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace sluice {

int StateSnapshots::add(Restore restore) {
  std::lock_guard<std::mutex> lock(mu_);
  restore_.push_back(std::move(restore));
  return static_cast<int>(restore_.size()) - 1;
}

bool StateSnapshots::empty() const {
  std::lock_guard<std::mutex> lock(mu_);
  return restore_.empty();
}

void StateSnapshots::save(int id, Time t, std::string bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& list = saved_[id];
  list.erase(std::remove_if(list.begin(), list.end(), [t](const StateSnapshot& s) { return s.time >= t; }), list.end());
  list.push_back({t, std::move(bytes)});
}

SavedStates StateSnapshots::keepFrom(Time from) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, list] : saved_) {
    // The newest snapshot before `from` is where a re-run of `from` starts.
    auto first_after = std::find_if(list.begin(), list.end(), [from](const StateSnapshot& s) { return s.time >= from; });
    if (first_after != list.begin()) list.erase(list.begin(), std::prev(first_after));
  }
  return saved_;
}

Time StateSnapshots::oldestNeeded(const SavedStates& saved, Time zero_time) const {
  std::lock_guard<std::mutex> lock(mu_);
  Time oldest = std::numeric_limits<Time>::max();
  for (size_t id = 0; id < restore_.size(); ++id) {
    auto it = saved.find(static_cast<int32_t>(id));
    oldest = std::min(oldest, it == saved.end() || it->second.empty() ? zero_time : it->second.front().time);
  }
  return oldest;
}

void StateSnapshots::restore(const SavedStates& saved) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, list] : saved) {
    if (id < 0 || static_cast<size_t>(id) >= restore_.size()) {
      throw std::invalid_argument("the checkpoint holds the state of stateful stream " + std::to_string(id) +
                                  ", and this application has " + std::to_string(restore_.size()));
    }
    for (const auto& snapshot : list) restore_[static_cast<size_t>(id)](snapshot);
  }
}

}  // namespace sluice
