// The YSB event's JSON: the generator writes YSB's schema, the scanner and nlohmann read it
// back alike, and text that is not a YSB event is refused, not misread.
#include <catch2/catch.hpp>

#include "bench/ysb/catalog.h"
#include "bench/ysb/event_generator.h"
#include "bench/ysb/event_parser.h"

using namespace sluice::ysb;

namespace {

const char* kEvent =
    R"({"user_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "page_id": "6ba7b810-9dad-41d1-80b4-00c04fd430c8", )"
    R"("ad_id": "9b2f1c3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "ad_type": "banner", "event_type": "view", )"
    R"("event_time": "1450000000123", "ip_address": "1.2.3.4"})";

void requireSame(const AdEvent& a, const AdEvent& b) {
  REQUIRE(a.valid == b.valid);
  REQUIRE(a.user_id == b.user_id);
  REQUIRE(a.page_id == b.page_id);
  REQUIRE(a.ad_id == b.ad_id);
  REQUIRE(a.ad_type == b.ad_type);
  REQUIRE(a.event_type == b.event_type);
  REQUIRE(a.event_time == b.event_time);
  REQUIRE(a.ip_address == b.ip_address);
}

}  // namespace

TEST_CASE("ysb: the scanner reads every field of a YSB event", "[ysb]") {
  AdEvent e = parseAdEvent(kEvent);
  REQUIRE(e.valid);
  CHECK(formatUuid(e.user_id) == "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  CHECK(formatUuid(e.ad_id) == "9b2f1c3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c");
  CHECK(e.ad_type == AdType::kBanner);
  CHECK(e.event_type == EventType::kView);
  CHECK(e.event_time == 1450000000123);
  CHECK(e.ip_address == ((1u << 24) | (2u << 16) | (3u << 8) | 4u));
  requireSame(e, parseAdEventNlohmann(kEvent));
}

TEST_CASE("ysb: keys in any order, spaces, numbers and unknown keys read as JSON says", "[ysb]") {
  const char* text =
      "\n{ \"event_time\" :1450000000123,\"extra\": [1, 2],\"ip_address\":\"1.2.3.4\" ,\"ad_type\":\"mail\","
      "\"event_type\":\"purchase\",\"ad_id\":\"9B2F1C3A-0D4E-4F5A-8B6C-7D8E9F0A1B2C\",\"note\":\"a \\\"quoted\\\" \\\\ word\","
      "\"page_id\":\"6ba7b810-9dad-41d1-80b4-00c04fd430c8\",\"user_id\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\"}\t";
  // The scanner refuses nested values; nlohmann reads them. Without the array both agree.
  CHECK_FALSE(parseAdEvent(text).valid);
  std::string flat = text;
  flat.replace(flat.find("\"extra\": [1, 2],"), std::string("\"extra\": [1, 2],").size(), "\"extra\": null,");
  AdEvent e = parseAdEvent(flat);
  REQUIRE(e.valid);
  CHECK(e.event_type == EventType::kPurchase);
  CHECK(e.ad_type == AdType::kMail);
  CHECK(formatUuid(e.ad_id) == "9b2f1c3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c");
  requireSame(e, parseAdEventNlohmann(flat));
}

TEST_CASE("ysb: text that is not a YSB event is refused", "[ysb]") {
  std::string good = kEvent;
  auto without = [&](const std::string& piece, const std::string& with = "") {
    std::string s = good;
    s.replace(s.find(piece), piece.size(), with);
    return s;
  };
  for (const std::string& bad : {
           std::string(""), std::string("{}"), std::string("[1]"), good.substr(0, good.size() - 1),
           good + "x",
           without(R"("ad_id": "9b2f1c3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c", )"),  // a field missing
           without("9b2f1c3a-0d4e", "9b2f1c3a-0d4x"),                         // not a UUID
           without("1450000000123", "14500000001x3"),                         // not a time
           without("1.2.3.4", "1.2.3.400"),                                   // not an address
       }) {
    INFO(bad);
    CHECK_FALSE(parseAdEvent(bad).valid);
    CHECK_FALSE(parseAdEventNlohmann(bad).valid);
  }
  // Where the two differ: nlohmann keeps the last of a repeated key and decodes escapes; the
  // scanner refuses both (YSB's events have neither).
  CHECK_FALSE(parseAdEvent(without(R"("ad_type": "banner")", R"("ad_type": "banner", "ad_type": "modal")")).valid);
  CHECK_FALSE(parseAdEvent(without("9b2f1c3a-0d4e", "9b2f1c3a\\u002d0d4e")).valid);
  CHECK(parseAdEventNlohmann(without("9b2f1c3a-0d4e", "9b2f1c3a\\u002d0d4e")).valid);
  // Values outside YSB's lists are kOther, not errors.
  AdEvent other = parseAdEvent(without(R"("event_type": "view")", R"("event_type": "hover")"));
  REQUIRE(other.valid);
  CHECK(other.event_type == EventType::kOther);
}

TEST_CASE("ysb: the fast path for the generator's layout reads what the scanner reads, byte changes included",
          "[ysb]") {
  const std::string event = kEvent;
  requireSame(parseAdEvent(event), scanAdEvent(event));
  // Every byte replaced by each of these: the fast path answers for some (a changed digit or
  // type), leaves the rest to the scanner, and the two always agree.
  const std::string replacements = "\"\\ ,:{}x0aA-.9\t";
  int valid = 0;
  for (size_t i = 0; i < event.size(); ++i) {
    for (char c : replacements) {
      std::string changed = event;
      changed[i] = c;
      AdEvent fast = parseAdEvent(changed);
      requireSame(fast, scanAdEvent(changed));
      valid += fast.valid;
    }
    requireSame(parseAdEvent(event.substr(0, i)), scanAdEvent(event.substr(0, i)));
  }
  CHECK(valid > 100);
  for (const char* other : {R"( {"user_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301"})",
                            R"({"ad_type": "banner", "event_type": "view"} )"}) {
    requireSame(parseAdEvent(other), scanAdEvent(other));
  }
  std::string spaced = event + " ";
  REQUIRE(parseAdEvent(spaced).valid);
  requireSame(parseAdEvent(spaced), scanAdEvent(spaced));
}

TEST_CASE("ysb: generated events are YSB's schema, the same for the same seed, and parse back", "[ysb]") {
  AdCatalog catalog(7);
  REQUIRE(catalog.numCampaigns() == 100);
  REQUIRE(catalog.numAds() == 1000);
  AdCatalog same(7);
  EventGenerator gen(catalog, 7), again(same, 7);
  EventGenerator other(catalog, 8);
  int views = 0, same_as_other = 0;
  std::string a, b, c;
  for (int64_t i = 0; i < 3000; ++i) {
    gen.writeJson(i, 1450000000000 + i, &a);
    again.writeJson(i, 1450000000000 + i, &b);
    other.writeJson(i, 1450000000000 + i, &c);
    REQUIRE(a == b);
    same_as_other += a == c;
    AdEvent e = parseAdEvent(a);
    REQUIRE(e.valid);
    requireSame(e, parseAdEventNlohmann(a));
    EventChoice choice = gen.choose(i);
    REQUIRE(e.ad_id == catalog.ads()[static_cast<size_t>(choice.ad)]);
    REQUIRE(e.event_type == choice.event_type);
    REQUIRE(e.event_time == 1450000000000 + i);
    views += e.event_type == EventType::kView;
  }
  CHECK(same_as_other < 30);
  CHECK(views > 850);  // a third are views
  CHECK(views < 1150);
  CHECK(a.rfind(R"({"user_id": ")", 0) == 0);
  CHECK(a.find(R"(", "ip_address": "1.2.3.4"})") != std::string::npos);
}

TEST_CASE("ysb: the schedule puts event i at start + i * 1000 / rate", "[ysb]") {
  EventSchedule s{1000, 3, 10};
  CHECK(s.timeOf(0) == 1000);
  CHECK(s.timeOf(1) == 1333);
  CHECK(s.timeOf(3) == 2000);
  CHECK(s.firstAtOrAfter(1000) == 0);
  CHECK(s.firstAtOrAfter(1001) == 1);
  CHECK(s.firstAtOrAfter(1334) == 2);
  CHECK(s.firstAtOrAfter(99999) == 10);
  for (int64_t t = 990; t < 4500; ++t) {
    int64_t i = s.firstAtOrAfter(t);
    if (i < s.count) REQUIRE(s.timeOf(i) >= t);
    if (i > 0) REQUIRE(s.timeOf(i - 1) < t);
  }
}
