// The Yahoo Streaming Benchmark end to end, at a small rate: a real redis-server on a free
// port, YSB's campaigns seeded by sluice-ysb, ysb_app in local[3] for a few seconds with 1 s
// windows, and then the counts Redis holds per campaign and window are exactly those
// recomputed from the generated events (the generator is deterministic by seed), and
// sluice-ysb check and stats agree. Skipped, with a WARN line, when redis-server is absent.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "bench/ysb/redis_client.h"
#include "bench/ysb/redis_layout.h"
#include "bench/ysb/run_results.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::ysb;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// A port the kernel says is free now on 127.0.0.1 (0 when none).
int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// The path of redis-server on $PATH, "" when there is none (Child executes a path, not a name).
std::string redisServerPath() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/redis-server";
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}
bool haveRedisServer() { return !redisServerPath().empty(); }

// redis-server on 127.0.0.1 and a free port, without persistence; killed with the object.
struct RedisServer {
  explicit RedisServer(const TempDir& tmp) {
    for (int attempt = 0; attempt < 5 && !client; ++attempt) {
      port = freePort();
      server = std::make_unique<Child>(
          std::vector<std::string>{redisServerPath(), "--port", std::to_string(port), "--bind", "127.0.0.1", "--save",
                                   "", "--appendonly", "no", "--dir", tmp.path().string()},
          tmp / ("redis-" + std::to_string(attempt)));
      waitFor([&] {
        auto c = RedisClient::connect("127.0.0.1", port, 1s);
        if (c && (*c)->command({"PING"})) client = std::move(*c);
        return client != nullptr || server->wait(0ms).has_value();
      }, 10s);
    }
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }

  int port = 0;
  std::unique_ptr<Child> server;
  std::unique_ptr<RedisClient> client;
};

}  // namespace

TEST_CASE("ysb: the counts per campaign and window in Redis are those of the generated events",
          "[integration][ysb]") {
  if (!haveRedisServer()) {
    WARN("SKIPPED: no redis-server on $PATH (install Debian's redis-server: scripts/install-deps.sh)");
    return;
  }
  TempDir tmp("ysb");
  RedisServer redis(tmp);
  REQUIRE(redis.client != nullptr);

  Child seed({binDir() + "/sluice-ysb", "seed", "--redis", redis.address(), "--seed", "5"}, tmp / "seed");
  requireExitCode(seed, 0, 30s);

  // 5,000 events/s for 4 s in 1 s windows and 200 ms batches, from two receivers.
  Child app(submitArgv("local[3]", {"--conf", "ui.port=0", "--conf", "streaming.blockInterval=50",
                                    libDir() + "/libysb_app.so", "--redis", redis.address(), "--rate", "5000",
                                    "--seconds", "4", "--window-ms", "1000", "--batch-ms", "200", "--receivers", "2",
                                    "--seed", "5", "--start-delay-ms", "500"}),
            tmp / "app");
  requireExitCode(app, 0, 120s);
  INFO(app.out());
  REQUIRE(app.out().find("\"processed\":20000") != std::string::npos);

  auto run = readRunInfo(*redis.client);
  REQUIRE(run);
  CHECK(run->events == 20000);
  CHECK(run->seed == 5);
  CHECK(run->window_ms == 1000);
  auto windows = readWindows(*redis.client);
  REQUIRE(windows);
  auto expected = expectedCounts(*run);
  std::map<CampaignWindow, int64_t> written;
  for (const auto& w : *windows) {
    written[CampaignWindow(w.campaign, w.window_start)] = w.seen_count;
    CHECK(w.time_updated >= w.window_start);  // written after the window's first events
  }
  int64_t views = 0;
  for (const auto& [key, n] : expected) views += n;
  CHECK(views > 20000 / 4);  // a third of the events are views
  CHECK(expected.size() > 100);  // every campaign, several windows
  REQUIRE(written == expected);

  Child check({binDir() + "/sluice-ysb", "check", "--redis", redis.address()}, tmp / "check");
  requireExitCode(check, 0, 60s);
  CHECK(check.out().find("counts match: " + std::to_string(expected.size()) + " windows") != std::string::npos);

  Child stats({binDir() + "/sluice-ysb", "stats", "--redis", redis.address()}, tmp / "stats");
  requireExitCode(stats, 0, 60s);
  INFO(stats.out());
  CHECK(stats.out().find("\"missing\":0,\"wrong_counts\":0") != std::string::npos);
  CHECK(firstCapture(stats.out(), R"("windows":([1-9][0-9]*))") != "");
}

TEST_CASE("ysb: a run's counts in Redis that differ from its events are reported", "[integration][ysb]") {
  if (!haveRedisServer()) {
    WARN("SKIPPED: no redis-server on $PATH (install Debian's redis-server: scripts/install-deps.sh)");
    return;
  }
  TempDir tmp("ysb-wrong");
  RedisServer redis(tmp);
  REQUIRE(redis.client != nullptr);
  AdCatalog catalog(3);
  REQUIRE(seedCampaigns(*redis.client, catalog));
  auto table = loadAdTable(*redis.client);
  REQUIRE(table);
  CHECK(table->size() == 1000);
  CHECK(*table->campaignOf(catalog.ads()[17]) == catalog.campaignOfAd(17));

  RunInfo run;
  run.seed = 3;
  run.rate = 10000;  // about 33 views per campaign and window: none is empty
  run.events = 30000;
  run.start_ms = 1'700'000'000'000;
  run.window_ms = 1000;
  REQUIRE(writeRunInfo(*redis.client, run));
  auto expected = expectedCounts(run);
  std::vector<std::pair<CampaignWindow, int64_t>> counts(expected.begin(), expected.end());
  counts.front().second += 1;  // one view too many
  WindowWriter writer(*redis.client);
  REQUIRE(writer.write(counts, run.start_ms + 3500));

  Child check({binDir() + "/sluice-ysb", "check", "--redis", redis.address()}, tmp / "check");
  requireExitCode(check, 1, 60s);
  CHECK(check.out().find("counts differ") != std::string::npos);
  CHECK(check.out().find(formatUuid(counts.front().first.first)) != std::string::npos);

  auto windows = readWindows(*redis.client);
  REQUIRE(windows);
  LatencyReport r = latencyReport(run, *windows, expected, 0);
  CHECK(r.wrong_counts == 1);
  CHECK(r.windows == static_cast<int64_t>(3 * catalog.numCampaigns()));  // windows 0, 1 and 2 are complete
  CHECK(r.missing == 1);  // the miscounted one has no latency
  CHECK(r.max_ms == -1);
  // Written at start + 3500: windows 0, 1, 2 end at start + 1000, 2000, 3000.
  CHECK(r.p50_ms == 1500);
}
