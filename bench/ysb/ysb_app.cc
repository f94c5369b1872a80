// ysb_app: the Yahoo Streaming Benchmark's pipeline as a Sluice streaming application
// (bench/README.md, "YSB"), written against the public API only.
//
//   sluice-submit --master 'local[3]' libysb_app.so --redis 127.0.0.1:6379 --rate 100000 --seconds 60
//       [--batch-ms 1000] [--window-ms 10000] [--receivers 1] [--seed 1] [--parser scan|nlohmann]
//       [--start-delay-ms 1000] [--drain-timeout-s 60]
//
// Redis must hold YSB's campaigns (sluice-ysb seed). The application loads the ad -> campaign
// table from it, writes the run's parameters (ysb:run), and streams rate * seconds events from
// `receivers` EventReceivers (event_receiver.h) through YSB's pipeline, every batch:
//
//   parse the JSON -> keep event_type "view" -> project (ad_id, event_time)
//   -> join with the ad table (inner: an unknown ad is dropped) -> ((campaign, window), 1)
//   -> reduceByKey(+) -> to Redis: each (campaign, window)'s count added, its time_updated set
//
// as YSB's Spark version does (per-batch counts per event-time window, added up in Redis;
// redis_layout.h has the layout). The batch's counts (one per campaign and window touched,
// about 100-200) are collected to the driver, which writes them in one pipelined round trip.
// It stops once every event was processed (streaming listener) and prints one JSON line;
// exit 0, or 1 when --drain-timeout-s passed after the schedule's end with events left.
#include <sluice/sluice.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "bench/ysb/ad_table.h"
#include "bench/ysb/event_parser.h"
#include "bench/ysb/event_receiver.h"
#include "bench/ysb/redis_layout.h"

namespace {

using namespace sluice;
using namespace sluice::ysb;

struct Options {
  std::string redis;
  int64_t rate = 0;
  int64_t seconds = 0;
  int64_t batch_ms = 1000;
  int64_t window_ms = 10000;
  int64_t receivers = 1;
  int64_t seed = 1;
  std::string parser = "scan";
  int64_t start_delay_ms = 1000;
  int64_t drain_timeout_s = 60;
};

constexpr const char* kUsage =
    "usage: ysb_app --redis HOST:PORT --rate EVENTS_PER_S --seconds S [--batch-ms 1000] [--window-ms 10000]\n"
    "               [--receivers 1] [--seed 1] [--parser scan|nlohmann] [--start-delay-ms 1000]\n"
    "               [--drain-timeout-s 60]\n";

StatusOr<Options> parseOptions(const std::vector<std::string>& args) {
  Options o;
  std::map<std::string, int64_t*> numbers{{"--rate", &o.rate},
                                          {"--seconds", &o.seconds},
                                          {"--batch-ms", &o.batch_ms},
                                          {"--window-ms", &o.window_ms},
                                          {"--receivers", &o.receivers},
                                          {"--seed", &o.seed},
                                          {"--start-delay-ms", &o.start_delay_ms},
                                          {"--drain-timeout-s", &o.drain_timeout_s}};
  for (size_t i = 0; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return Status::invalidArgument(args[i] + " needs a value");
    const std::string& flag = args[i];
    const std::string& value = args[i + 1];
    if (flag == "--redis") {
      o.redis = value;
    } else if (flag == "--parser") {
      if (value != "scan" && value != "nlohmann") return Status::invalidArgument("--parser is scan or nlohmann");
      o.parser = value;
    } else if (auto it = numbers.find(flag); it != numbers.end()) {
      try {
        size_t used = 0;
        *it->second = std::stoll(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
      } catch (const std::exception&) {
        return Status::invalidArgument(flag + " needs a number, got '" + value + "'");
      }
    } else {
      return Status::invalidArgument("unknown argument '" + flag + "'");
    }
  }
  if (o.redis.empty()) return Status::invalidArgument("--redis is required");
  if (o.rate <= 0 || o.seconds <= 0) return Status::invalidArgument("--rate and --seconds must be positive");
  if (o.batch_ms <= 0 || o.window_ms <= 0 || o.receivers <= 0 || o.drain_timeout_s < 0 || o.start_delay_ms < 0) {
    return Status::invalidArgument("--batch-ms, --window-ms and --receivers must be positive");
  }
  return o;
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Counts the input records of completed batches, so the driver knows when every event is in.
class ProcessedEvents : public StreamingListener {
 public:
  void onBatchCompleted(const BatchInfo& batch) override {
    std::lock_guard<std::mutex> lock(mu_);
    processed_ += batch.num_records;
    ++batches_;
    cv_.notify_all();
  }
  // Waits until at least n records were processed or timeout passed; the count so far.
  int64_t waitFor(int64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return processed_ >= n; });
    return processed_;
  }
  int64_t batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t processed_ = 0;
  int64_t batches_ = 0;
};

}  // namespace

SLUICE_APP(ctx, args) {
  auto options = parseOptions(args);
  if (!options) {
    std::cerr << "ysb_app: " << options.status().message() << "\n" << kUsage;
    return 2;
  }
  const Options& o = *options;
  auto address = parseRedisAddress(o.redis);
  auto redis = address ? RedisClient::connect(address->first, address->second)
                       : StatusOr<std::unique_ptr<RedisClient>>(address.status());
  auto table = redis ? loadAdTable(**redis) : StatusOr<AdTable>(redis.status());
  if (!table) {
    std::cerr << "ysb_app: " << table.status().message() << "\n";
    return 1;
  }
  std::set<Uuid> campaigns;
  for (const auto& entry : table->entries()) campaigns.insert(entry.second);
  spdlog::info("ysb: {} ads of {} campaigns loaded from Redis at {}", table->size(), campaigns.size(),
               (*redis)->address());
  const Broadcast<AdTable> ads = ctx.broadcast(*table);

  // Declared before the streaming context, which refers to both until it is gone.
  WindowWriter writer(**redis);
  ProcessedEvents processed;
  StreamingContext ssc(ctx, Milliseconds(o.batch_ms));
  RunInfo run;
  run.seed = static_cast<uint64_t>(o.seed);
  run.rate = o.rate;
  run.events = o.rate * o.seconds;
  run.start_ms = nowMs() + o.start_delay_ms;
  run.window_ms = o.window_ms;
  run.receivers = o.receivers;
  run.batch_ms = ssc.batchDuration().ms;
  run.parser = o.parser;
  if (Status st = writeRunInfo(**redis, run); !st) {
    std::cerr << "ysb_app: " << st.message() << "\n";
    return 1;
  }
  const EventSchedule schedule{run.start_ms, run.rate, run.events};

  // ---- The events: one stream per receiver, united. ----
  auto receiver = [&](int k) {
    return ssc.receiverStream<std::string>(std::make_shared<EventReceiver>(run.seed, schedule, k, static_cast<int32_t>(o.receivers),
                                                              static_cast<int32_t>(run.campaigns),
                                                              static_cast<int32_t>(run.ads_per_campaign)));
  };
  DStream<std::string> events = receiver(0);
  for (int k = 1; k < o.receivers; ++k) events = events.union_(receiver(k));

  // ---- YSB's pipeline. ----
  DStream<AdEvent> parsed = o.parser == "nlohmann"
                                ? events.map([](const std::string& json) { return parseAdEventNlohmann(json); })
                                : events.map([](const std::string& json) { return parseAdEvent(json); });
  const int64_t window_ms = o.window_ms;
  parsed.filter([](const AdEvent& e) { return e.valid && e.event_type == EventType::kView; })
      .map([](const AdEvent& e) { return std::pair<Uuid, int64_t>(e.ad_id, e.event_time); })
      // The join, once per partition with the broadcast table (YSB's Spark version joins in
      // mapPartitions too, with a per-partition Redis cache).
      .mapPartitions([ads, window_ms](std::vector<std::pair<Uuid, int64_t>> views) {
        const AdTable& table = ads.value();
        std::vector<std::pair<CampaignWindow, int64_t>> keyed;
        keyed.reserve(views.size());
        for (const auto& [ad, event_time] : views) {
          if (const Uuid* campaign = table.campaignOf(ad)) {
            keyed.emplace_back(CampaignWindow(*campaign, windowStart(event_time, window_ms)), 1);
          }
        }
        return keyed;
      })
      .reduceByKey([](int64_t a, int64_t b) { return a + b; })
      .foreachRDD([&writer](const RDD<std::pair<CampaignWindow, int64_t>>& counts) {
        auto rows = counts.collect();
        Status st = writer.write(rows, nowMs());
        if (!st) throw std::runtime_error("cannot write the window counts to Redis: " + st.message());
      });

  ssc.addStreamingListener(&processed);
  ssc.start();
  const auto schedule_end = std::chrono::system_clock::time_point(std::chrono::milliseconds(schedule.timeOf(run.events)));
  const auto deadline = schedule_end + std::chrono::seconds(o.drain_timeout_s);
  int64_t done = 0;
  std::string failure;
  try {
    while (done < run.events && std::chrono::system_clock::now() < deadline) {
      done = processed.waitFor(run.events, std::chrono::milliseconds(200));
      if (ssc.awaitTermination(std::chrono::milliseconds(0))) break;
    }
  } catch (const std::exception& e) {
    failure = e.what();
  }
  ssc.stop(/*stop_context=*/false, /*graceful=*/failure.empty());
  done = processed.waitFor(run.events, std::chrono::milliseconds(0));
  const int64_t end_ms = nowMs();
  std::cout << "{\"bench\":\"ysb-app\",\"rate\":" << run.rate << ",\"events\":" << run.events
            << ",\"processed\":" << done << ",\"batches\":" << processed.batches() << ",\"batch_ms\":" << run.batch_ms
            << ",\"window_ms\":" << run.window_ms << ",\"receivers\":" << run.receivers << ",\"parser\":\""
            << run.parser << "\",\"start_ms\":" << run.start_ms << ",\"end_ms\":" << end_ms
            << ",\"windows_written\":" << writer.windowsCreated() << "}" << std::endl;
  if (!failure.empty()) {
    std::cerr << "ysb_app: " << failure << "\n";
    return 1;
  }
  if (done < run.events) {
    std::cerr << "ysb_app: " << done << " of " << run.events << " events processed within " << o.drain_timeout_s
              << " s after the schedule's end\n";
    return 1;
  }
  return 0;
}
