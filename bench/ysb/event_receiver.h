// EventReceiver: YSB's event source inside the application, as many YSB reruns build it
// (a source operator that generates at a fixed rate instead of reading Kafka). Receiver k of
// n writes events k, k + n, k + 2n, ... of the run's schedule (event_generator.h) as JSON
// text, each when it is due (never before: at 2M events/s that is 2,000 events per ms,
// written in one go when the ms starts), and stores each as one record. It stops generating
// after the schedule's last event and then idles until the application stops it.
//
// When the engine cannot take events as fast as they are due, store() blocks (the block
// generator's queue is full) and the generator falls behind; its events keep their
// scheduled times, so the lag shows in YSB's latency, as it does in YSB with Kafka.
// Header-only: it is compiled into the application library, which registers it.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

#include "bench/ysb/catalog.h"
#include "bench/ysb/event_generator.h"
#include "streaming/receiver/receiver.h"

namespace sluice::ysb {

class EventReceiver : public ReceiverBase<EventReceiver, std::string> {
 public:
  EventReceiver() = default;
  EventReceiver(uint64_t seed, EventSchedule schedule, int32_t index, int32_t receivers, int32_t campaigns,
                int32_t ads_per_campaign)
      : seed_(seed),
        start_ms_(schedule.start_ms),
        rate_(schedule.rate),
        count_(schedule.count),
        index_(index),
        receivers_(receivers),
        campaigns_(campaigns),
        ads_per_campaign_(ads_per_campaign),
        next_(index) {}

  void onStart() override {
    thread_ = std::thread([this] { produce(); });
  }
  void onStop() override {
    if (thread_.joinable()) thread_.join();
  }
  std::string name() const override { return "YsbEventReceiver"; }

  template <class A>
  void serialize(A& ar) {
    ar(seed_, start_ms_, rate_, count_, index_, receivers_, campaigns_, ads_per_campaign_);
    next_ = index_;
  }

 private:
  static int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  void produce() {
    const AdCatalog catalog(seed_, campaigns_, ads_per_campaign_);
    const EventGenerator generator(catalog, seed_);
    const EventSchedule schedule{start_ms_, rate_, count_};
    const int64_t step = receivers_;
    // At most 10 ms of events between two looks at isStopped().
    const int64_t chunk = std::max<int64_t>(1, rate_ / 100);
    int64_t max_lag_ms = 0;
    std::string json;
    // next_ survives a restart of this receiver (same object): it goes on where it was.
    while (next_ < count_ && !isStopped()) {
      const int64_t now = nowMs();
      const int64_t due_end = schedule.firstAtOrAfter(now + 1);  // events due at or before now
      if (next_ >= due_end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp<int64_t>(schedule.timeOf(next_) - now, 1, 5)));
        continue;
      }
      max_lag_ms = std::max(max_lag_ms, now - schedule.timeOf(next_));
      const int64_t end = std::min(due_end, next_ + chunk * step);
      for (; next_ < end; next_ += step) {
        generator.writeJson(next_, schedule.timeOf(next_), &json);
        store(json);  // copied into the block: json is reused, no allocation per event
      }
    }
    if (next_ >= count_) {
      spdlog::info("ysb receiver {} of {}: generated its share of {} events; at most {} ms behind the schedule",
                   index_, receivers_, count_, max_lag_ms);
    }
  }

  uint64_t seed_ = 1;
  int64_t start_ms_ = 0;
  int64_t rate_ = 1;
  int64_t count_ = 0;
  int32_t index_ = 0;
  int32_t receivers_ = 1;
  int32_t campaigns_ = AdCatalog::kDefaultCampaigns;
  int32_t ads_per_campaign_ = AdCatalog::kDefaultAdsPerCampaign;
  int64_t next_ = 0;  // the next event this receiver writes
  std::thread thread_;
};

}  // namespace sluice::ysb
