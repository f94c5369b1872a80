// The YSB event generator: event i of a run is a pure function of (seed, i), and its time is
// its place in a fixed-rate schedule, so a run's events can be computed again from its
// parameters (the integration test does, to check the counts in Redis).
//
// Each event is one JSON object in YSB's schema, byte for byte as YSB's generator writes it
// (streaming-benchmarks, data/src/setup/core.clj), e.g.
//
//   {"user_id": "<uuid>", "page_id": "<uuid>", "ad_id": "<uuid>", "ad_type": "banner",
//    "event_type": "view", "event_time": "1450000000000", "ip_address": "1.2.3.4"}
//
// (on one line): user and page drawn from 100 each, the ad from the catalog's ads, ad_type
// from YSB's 5 and event_type from view/click/purchase, all uniformly; event_time is the
// event's scheduled time in ms, as a string, as in YSB. As YSB's generator does, the time is
// the schedule's, not the moment the event was written: a generator that falls behind makes
// events that are already late, and the latency measure sees it.
#pragma once

#include <cstdint>
#include <string>

#include "bench/ysb/ad_event.h"
#include "bench/ysb/catalog.h"

namespace sluice::ysb {

// A run's schedule: `count` events, `rate` per second from start_ms; event i is due at
// start_ms + floor(i * 1000 / rate).
struct EventSchedule {
  int64_t start_ms = 0;
  int64_t rate = 1;  // events per second, > 0
  int64_t count = 0;

  int64_t timeOf(int64_t i) const { return start_ms + i * 1000 / rate; }
  // The first event due at or after time t (count when none).
  int64_t firstAtOrAfter(int64_t t) const;
};

// What event i is made of: indexes into the catalog and YSB's value lists.
struct EventChoice {
  int ad = 0;
  int user = 0;
  int page = 0;
  AdType ad_type = AdType::kBanner;
  EventType event_type = EventType::kView;
};

// Stateless apart from the catalog it refers to, which must outlive it; const methods are
// safe from any thread.
class EventGenerator {
 public:
  EventGenerator(const AdCatalog& catalog, uint64_t seed) : catalog_(catalog), seed_(mixBits(seed ^ 0x7973622d657674ULL)) {}

  EventChoice choose(int64_t index) const;
  // Replaces *out with event index's JSON text, at event_time_ms.
  void writeJson(int64_t index, int64_t event_time_ms, std::string* out) const;

 private:
  const AdCatalog& catalog_;
  uint64_t seed_;
};

}  // namespace sluice::ysb
