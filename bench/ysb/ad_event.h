// One YSB ad event, as the pipeline holds it once parsed (the JSON schema is in
// event_generator.h). Every field is a fixed-size value, so a parsed event allocates nothing.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "bench/ysb/uuid.h"

namespace sluice::ysb {

enum class EventType : uint8_t { kView = 0, kClick = 1, kPurchase = 2, kOther = 3 };
enum class AdType : uint8_t { kBanner = 0, kModal = 1, kSponsoredSearch = 2, kMail = 3, kMobile = 4, kOther = 5 };

// YSB's values, in the order of the enums (the generator draws uniformly from them).
inline constexpr std::array<std::string_view, 3> kEventTypeNames{"view", "click", "purchase"};
inline constexpr std::array<std::string_view, 5> kAdTypeNames{"banner", "modal", "sponsored-search", "mail", "mobile"};

struct AdEvent {
  Uuid user_id{};
  Uuid page_id{};
  Uuid ad_id{};
  AdType ad_type = AdType::kOther;
  EventType event_type = EventType::kOther;
  int64_t event_time = 0;  // ms since the epoch
  uint32_t ip_address = 0;  // IPv4, a.b.c.d as (a << 24) | ... | d
  bool valid = false;       // false when the text was not a YSB event

  // Every record type of an RDD is serializable (a stage may end at any stream).
  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, page_id, ad_id, ad_type, event_type, event_time, ip_address, valid);
  }
};

// The start of the window of length window_ms that holds t (windows are aligned to the epoch,
// as YSB's `time - time % window`).
inline int64_t windowStart(int64_t t, int64_t window_ms) { return t - t % window_ms; }

}  // namespace sluice::ysb
