#include "bench/ysb/event_generator.h"

#include <charconv>

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
  char time_text[24];
  auto end = std::to_chars(time_text, time_text + sizeof time_text, event_time_ms).ptr;
  std::string& s = *out;
  s.clear();
  s.reserve(256);
  s += R"({"user_id": ")";
  s += catalog_.userText(c.user);
  s += R"(", "page_id": ")";
  s += catalog_.pageText(c.page);
  s += R"(", "ad_id": ")";
  s += catalog_.adText(c.ad);
  s += R"(", "ad_type": ")";
  s += kAdTypeNames[static_cast<size_t>(c.ad_type)];
  s += R"(", "event_type": ")";
  s += kEventTypeNames[static_cast<size_t>(c.event_type)];
  s += R"(", "event_time": ")";
  s.append(time_text, static_cast<size_t>(end - time_text));
  s += R"(", "ip_address": "1.2.3.4"})";
}

}  // namespace sluice::ysb
