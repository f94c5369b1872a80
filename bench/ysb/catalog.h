// The ids YSB's events refer to: campaigns, their ads (YSB: 100 campaigns of 10 ads), and
// the users and pages the generator draws from (100 each). Every id is derived from a seed
// (uuid.h's derivedUuid), so the generator, the seeding tool and a checker rebuild the same
// catalog from the seed alone. Immutable after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/ysb/uuid.h"

namespace sluice::ysb {

class AdCatalog {
 public:
  static constexpr int kDefaultCampaigns = 100;
  static constexpr int kDefaultAdsPerCampaign = 10;
  static constexpr int kUsers = 100;
  static constexpr int kPages = 100;

  explicit AdCatalog(uint64_t seed, int campaigns = kDefaultCampaigns, int ads_per_campaign = kDefaultAdsPerCampaign);

  int numCampaigns() const { return static_cast<int>(campaigns_.size()); }
  int numAds() const { return static_cast<int>(ads_.size()); }
  const std::vector<Uuid>& campaigns() const { return campaigns_; }
  // Ad a belongs to campaign a / ads_per_campaign.
  const std::vector<Uuid>& ads() const { return ads_; }
  const Uuid& campaignOfAd(int ad) const { return campaigns_[static_cast<size_t>(ad / ads_per_campaign_)]; }
  // Canonical texts, for the JSON writer.
  const std::string& adText(int ad) const { return ad_texts_[static_cast<size_t>(ad)]; }
  const std::string& userText(int user) const { return user_texts_[static_cast<size_t>(user)]; }
  const std::string& pageText(int page) const { return page_texts_[static_cast<size_t>(page)]; }

 private:
  int ads_per_campaign_;
  std::vector<Uuid> campaigns_;
  std::vector<Uuid> ads_;
  std::vector<std::string> ad_texts_;
  std::vector<std::string> user_texts_;
  std::vector<std::string> page_texts_;
};

}  // namespace sluice::ysb
