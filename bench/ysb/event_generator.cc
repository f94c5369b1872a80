#include "bench/ysb/event_generator.h"

#include <charconv>
#include <cstring>
#include <string_view>

namespace sluice::ysb {
namespace {

// Lemire's multiply-shift: a 32-bit draw reduced to [0, n) without a division.
inline int below(uint32_t bits, uint32_t n) {
  return static_cast<int>((static_cast<uint64_t>(bits) * n) >> 32);
}

}  // namespace

int64_t EventSchedule::firstAtOrAfter(int64_t t) const {
  if (t <= start_ms) return 0;
  // Smallest i with i * 1000 / rate >= t - start_ms, i.e. i * 1000 >= (t - start_ms) * rate.
  int64_t i = ((t - start_ms) * rate + 999) / 1000;
  return i < count ? i : count;
}

EventChoice EventGenerator::choose(int64_t index) const {
  uint64_t a = mixBits(seed_ ^ static_cast<uint64_t>(index));
  uint64_t b = mixBits(a);
  uint64_t t = mixBits(b);
  EventChoice c;
  c.ad = below(static_cast<uint32_t>(a), static_cast<uint32_t>(catalog_.numAds()));
  c.user = below(static_cast<uint32_t>(a >> 32), AdCatalog::kUsers);
  c.page = below(static_cast<uint32_t>(b), AdCatalog::kPages);
  c.ad_type = static_cast<AdType>(below(static_cast<uint32_t>(b >> 32), kAdTypeNames.size()));
  c.event_type = static_cast<EventType>(below(static_cast<uint32_t>(t), kEventTypeNames.size()));
  return c;
}

void EventGenerator::writeJson(int64_t index, int64_t event_time_ms, std::string* out) const {
  EventChoice c = choose(index);
  // Assembled on the stack and copied once: appending piece by piece to the string cost
  // twice as much (a capacity check and a call per piece).
  char buf[384];
  char* w = buf;
  auto put = [&w](std::string_view s) {
    std::memcpy(w, s.data(), s.size());
    w += s.size();
  };
  put(R"({"user_id": ")");
  put(catalog_.userText(c.user));
  put(R"(", "page_id": ")");
  put(catalog_.pageText(c.page));
  put(R"(", "ad_id": ")");
  put(catalog_.adText(c.ad));
  put(R"(", "ad_type": ")");
  put(kAdTypeNames[static_cast<size_t>(c.ad_type)]);
  put(R"(", "event_type": ")");
  put(kEventTypeNames[static_cast<size_t>(c.event_type)]);
  put(R"(", "event_time": ")");
  w = std::to_chars(w, w + 24, event_time_ms).ptr;
  put(R"(", "ip_address": "1.2.3.4"})");
  out->assign(buf, static_cast<size_t>(w - buf));
}

}  // namespace sluice::ysb
