// AdTable: the join side of the YSB pipeline, ad id -> campaign id, loaded from Redis on the
// driver and broadcast to the executors (a Broadcast<AdTable>). Lookups go through an
// open-addressing index rebuilt when the table is decoded, so a lookup is a hash and one or
// two probes. Immutable once built; lookups are safe from any thread.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "bench/ysb/uuid.h"

namespace sluice::ysb {

class AdTable {
 public:
  AdTable() = default;
  // ad -> campaign pairs; a repeated ad keeps its first campaign.
  explicit AdTable(std::vector<std::pair<Uuid, Uuid>> ad_to_campaign) : entries_(std::move(ad_to_campaign)) {
    buildIndex();
  }

  // The campaign of ad, or nullptr when the table has no such ad.
  const Uuid* campaignOf(const Uuid& ad) const {
    if (slots_.empty()) return nullptr;
    for (uint64_t s = slotOf(ad);; s = (s + 1) & mask_) {
      int32_t e = slots_[s];
      if (e < 0) return nullptr;
      if (entries_[static_cast<size_t>(e)].first == ad) return &entries_[static_cast<size_t>(e)].second;
    }
  }
  size_t size() const { return entries_.size(); }
  const std::vector<std::pair<Uuid, Uuid>>& entries() const { return entries_; }

  template <class Archive>
  void save(Archive& ar) const {
    ar(entries_);
  }
  template <class Archive>
  void load(Archive& ar) {
    ar(entries_);
    buildIndex();
  }

 private:
  uint64_t slotOf(const Uuid& ad) const { return mixBits(ad.first ^ (ad.second * 0x9e3779b97f4a7c15ULL)) & mask_; }
  void buildIndex() {
    uint64_t capacity = 16;
    while (capacity < entries_.size() * 4) capacity *= 2;  // at most a quarter full
    mask_ = capacity - 1;
    slots_.assign(capacity, -1);
    for (size_t i = 0; i < entries_.size(); ++i) {
      uint64_t s = slotOf(entries_[i].first);
      for (;; s = (s + 1) & mask_) {
        int32_t e = slots_[s];
        if (e < 0) {
          slots_[s] = static_cast<int32_t>(i);
          break;
        }
        if (entries_[static_cast<size_t>(e)].first == entries_[i].first) break;  // repeated ad
      }
    }
  }

  std::vector<std::pair<Uuid, Uuid>> entries_;
  std::vector<int32_t> slots_;  // index into entries_, -1 when empty
  uint64_t mask_ = 0;
};

}  // namespace sluice::ysb
