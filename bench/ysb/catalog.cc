#include "bench/ysb/catalog.h"

#include <algorithm>

namespace sluice::ysb {
namespace {
// The `kind` argument of derivedUuid for each sort of id.
enum Kind : uint64_t { kCampaign = 1, kAd = 2, kUser = 3, kPage = 4 };
}  // namespace

AdCatalog::AdCatalog(uint64_t seed, int campaigns, int ads_per_campaign)
    : ads_per_campaign_(std::max(1, ads_per_campaign)) {
  for (int c = 0; c < std::max(1, campaigns); ++c) campaigns_.push_back(derivedUuid(seed, kCampaign, c));
  for (size_t a = 0; a < campaigns_.size() * static_cast<size_t>(ads_per_campaign_); ++a) {
    ads_.push_back(derivedUuid(seed, kAd, a));
    ad_texts_.push_back(formatUuid(ads_.back()));
  }
  for (int u = 0; u < kUsers; ++u) user_texts_.push_back(formatUuid(derivedUuid(seed, kUser, u)));
  for (int p = 0; p < kPages; ++p) page_texts_.push_back(formatUuid(derivedUuid(seed, kPage, p)));
}

}  // namespace sluice::ysb
