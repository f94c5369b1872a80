// sluice-ysb: the Redis side of the Yahoo Streaming Benchmark (bench/README.md, "YSB").
//
//   sluice-ysb seed  --redis HOST:PORT [--seed 1]       YSB's 100 campaigns of 10 ads
//   sluice-ysb stats --redis HOST:PORT [--warmup-ms 0]  YSB's latency of the last run, one JSON line
//   sluice-ysb check --redis HOST:PORT                  the run's counts against its events
//
// seed writes what YSB's setup writes (redis_layout.h), ids derived from --seed. stats reads
// the run's parameters (ysb:run, written by ysb_app) and every window, recomputes what the
// events should have counted, and prints the latency percentiles over the complete windows
// (run_results.h) with the number of windows missing or counted wrong. check prints each
// window whose count differs from the one recomputed from the generator, and a summary.
// Exit codes: 0 done (check: every count right), 1 a failure or a wrong count, 2 bad arguments.
#include <iostream>

#include <boost/program_options.hpp>

#include "bench/ysb/catalog.h"
#include "bench/ysb/redis_layout.h"
#include "bench/ysb/run_results.h"

namespace po = boost::program_options;
using namespace sluice;
using namespace sluice::ysb;

namespace {

int fail(const Status& st) {
  std::cerr << "sluice-ysb: " << st.message() << "\n";
  return 1;
}

int seed(RedisClient& redis, uint64_t seed) {
  AdCatalog catalog(seed);
  if (Status st = seedCampaigns(redis, catalog); !st) return fail(st);
  std::cerr << "sluice-ysb: seeded " << catalog.numCampaigns() << " campaigns of "
            << catalog.numAds() / catalog.numCampaigns() << " ads (seed " << seed << ") into " << redis.address()
            << "\n";
  return 0;
}

int stats(RedisClient& redis, int64_t warmup_ms) {
  auto run = readRunInfo(redis);
  if (!run) return fail(run.status());
  auto windows = readWindows(redis);
  if (!windows) return fail(windows.status());
  LatencyReport r = latencyReport(*run, *windows, expectedCounts(*run), warmup_ms);
  std::cout << "{\"rate\":" << run->rate << ",\"events\":" << run->events << ",\"batch_ms\":" << run->batch_ms
            << ",\"window_ms\":" << run->window_ms << ",\"windows\":" << r.windows << ",\"missing\":" << r.missing
            << ",\"wrong_counts\":" << r.wrong_counts << ",\"first_window\":" << r.first_window
            << ",\"last_window\":" << r.last_window << ",\"p50_ms\":" << r.p50_ms << ",\"p90_ms\":" << r.p90_ms
            << ",\"p99_ms\":" << r.p99_ms << ",\"max_ms\":" << r.max_ms << "}" << std::endl;
  return 0;
}

int check(RedisClient& redis) {
  auto run = readRunInfo(redis);
  if (!run) return fail(run.status());
  auto windows = readWindows(redis);
  if (!windows) return fail(windows.status());
  auto expected = expectedCounts(*run);
  std::map<CampaignWindow, int64_t> written;
  for (const auto& w : *windows) written[CampaignWindow(w.campaign, w.window_start)] = w.seen_count;
  int64_t wrong = 0, views = 0;
  auto report = [&](const CampaignWindow& key, int64_t want, int64_t got) {
    if (++wrong <= 10) {
      std::cout << "campaign " << formatUuid(key.first) << " window " << key.second << ": expected " << want
                << ", Redis has " << got << "\n";
    }
  };
  for (const auto& [key, want] : expected) {
    views += want;
    auto it = written.find(key);
    int64_t got = it == written.end() ? 0 : it->second;
    if (got != want) report(key, want, got);
  }
  for (const auto& [key, got] : written)
    if (!expected.contains(key)) report(key, 0, got);
  std::cout << (wrong == 0 ? "counts match" : "counts differ") << ": " << expected.size() << " windows, " << views
            << " views of " << run->events << " events expected; " << written.size() << " windows in Redis, "
            << wrong << " wrong" << std::endl;
  return wrong == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command, address;
  uint64_t seed_value = 1;
  int64_t warmup_ms = 0;
  po::options_description flags("sluice-ysb seed|stats|check --redis HOST:PORT [options]");
  flags.add_options()("help,h", "this help")("redis", po::value(&address), "Redis server, host:port")(
      "seed", po::value(&seed_value)->default_value(1), "seed: the ids' seed")(
      "warmup-ms", po::value(&warmup_ms)->default_value(0), "stats: windows starting this soon after the start are left out");
  po::options_description hidden;
  hidden.add_options()("command", po::value(&command));
  po::options_description all;
  all.add(flags).add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << flags;
      return 0;
    }
  } catch (const po::error& e) {
    std::cerr << "sluice-ysb: " << e.what() << "\n" << flags;
    return 2;
  }
  if ((command != "seed" && command != "stats" && command != "check") || address.empty()) {
    std::cerr << "sluice-ysb: give one of seed, stats, check and --redis\n" << flags;
    return 2;
  }
  auto parsed = parseRedisAddress(address);
  if (!parsed) {
    std::cerr << "sluice-ysb: --redis " << parsed.status().message() << "\n";
    return 2;
  }
  auto redis = RedisClient::connect(parsed->first, parsed->second);
  if (!redis) return fail(redis.status());
  if (command == "seed") return seed(**redis, seed_value);
  if (command == "stats") return stats(**redis, warmup_ms);
  return check(**redis);
}
