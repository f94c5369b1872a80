// YSB's data in Redis, laid out as YSB's own code does (streaming-benchmarks: the setup in
// data/src/setup/core.clj, the writer in CampaignProcessorCommon.java / AdvertisingSpark.scala):
//
//   campaigns        set     every campaign id
//   <ad id>          string  the ad's campaign id
//   <campaign id>    hash    <window start, ms> -> <window id>;  "windows" -> <list id>
//   <list id>        list    the campaign's window starts, newest first (LPUSH)
//   <window id>      hash    seen_count -> views counted so far;  time_updated -> ms of the last write
//
// Ids are UUIDs in text. A window's count grows with every batch that saw views of it
// (HINCRBY), and each such write sets its time_updated: YSB's latency of a window is its last
// time_updated minus the window's end. Sluice adds one key of its own:
//
//   ysb:run          hash    the run's parameters (RunInfo), written by the application
//
// Every function takes a connected client and returns its errors as a Status.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench/ysb/ad_table.h"
#include "bench/ysb/catalog.h"
#include "bench/ysb/redis_client.h"
#include "bench/ysb/uuid.h"

namespace sluice::ysb {

// (campaign, window start in ms): the key the pipeline counts views by.
using CampaignWindow = std::pair<Uuid, int64_t>;

// Writes the campaigns and every ad's campaign, as YSB's setup does.
Status seedCampaigns(RedisClient& redis, const AdCatalog& catalog);
// Reads the ad -> campaign table back: every string key that is a UUID and whose value is a
// member of `campaigns`. notFound when there is none (Redis not seeded).
StatusOr<AdTable> loadAdTable(RedisClient& redis);

// What a run generated, for the tools that read its results (sluice-ysb stats, check).
struct RunInfo {
  uint64_t seed = 1;
  int64_t rate = 0;       // events per second
  int64_t events = 0;     // events generated in all
  int64_t start_ms = 0;   // the schedule's start (event 0's time)
  int64_t window_ms = 10000;
  int64_t receivers = 1;
  int64_t batch_ms = 0;
  int64_t campaigns = AdCatalog::kDefaultCampaigns;
  int64_t ads_per_campaign = AdCatalog::kDefaultAdsPerCampaign;
  std::string parser;
};
Status writeRunInfo(RedisClient& redis, const RunInfo& run);
StatusOr<RunInfo> readRunInfo(RedisClient& redis);

// Writes each batch's counts into the layout above, one pipelined round trip per batch. It
// remembers the window ids it made (it is the only writer). THREADING: one thread at a time;
// redis must outlive it.
class WindowWriter {
 public:
  explicit WindowWriter(RedisClient& redis);
  // Adds each count to its window and sets the window's time_updated to now_ms.
  Status write(const std::vector<std::pair<CampaignWindow, int64_t>>& counts, int64_t now_ms);
  int64_t windowsCreated() const { return static_cast<int64_t>(window_ids_.size()); }

 private:
  std::string newId();

  RedisClient& redis_;
  std::mt19937_64 rng_;
  std::map<CampaignWindow, std::string> window_ids_;
  std::map<Uuid, std::string> list_ids_;  // each campaign's "windows" list
};

// One window as read back from Redis.
struct WindowRecord {
  Uuid campaign{};
  int64_t window_start = 0;
  int64_t seen_count = 0;
  int64_t time_updated = 0;
};
// Every window of every campaign (through the campaigns set and their "windows" lists).
StatusOr<std::vector<WindowRecord>> readWindows(RedisClient& redis);

}  // namespace sluice::ysb
