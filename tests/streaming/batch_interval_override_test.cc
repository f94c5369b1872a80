// streaming.batchDuration on the manual clock: the batches are cut at its interval, not
// the one in code, every record arrives, the REST statistics show it; windows that do not
// fit it are refused at start() with the stream, its window and slide and the interval
// named; windows built from ssc.batchDuration() follow it.
#include <catch2/catch.hpp>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <numeric>

#include "streaming/ui/streaming_rest.h"
#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;

namespace {

std::unique_ptr<Context> contextWithInterval(const std::string& interval) {
  Conf conf;
  conf.set("streaming.clock", "manual").set("ui.enabled", "false").set("streaming.batchDuration", interval);
  auto ctx = Context::create({"local[2]", "batch-interval-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

// Batch k (1-based) holds the ten numbers 10(k-1) .. 10(k-1)+9.
std::vector<std::vector<int>> numberedInput(int batches) {
  std::vector<std::vector<int>> input(batches);
  for (int k = 0; k < batches; ++k)
    for (int i = 0; i < 10; ++i) input[k].push_back(10 * k + i);
  return input;
}

// Each output batch: its time and its records.
struct TimedBatches {
  std::mutex mu;
  std::vector<std::pair<Time, std::vector<int>>> batches;
  void attach(const DStream<int>& stream) {
    stream.foreachRDD([this](const RDD<int>& rdd, Time t) {
      auto rows = rdd.collect();
      std::lock_guard<std::mutex> lock(mu);
      batches.emplace_back(t, std::move(rows));
    });
  }
};

}  // namespace

TEST_CASE("streaming.batchDuration cuts batches at its interval instead of the code's, and every record arrives",
          "[streaming][interval]") {
  auto ctx = contextWithInterval("250ms");
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  StreamingContext ssc(*ctx, Seconds(1));
  CHECK(ssc.batchDuration() == Milliseconds(250));
  CHECK(ssc.batchInterval().in_code == Seconds(1));
  CHECK(ssc.batchInterval().from_conf);
  TimedBatches out;
  out.attach(testInputStream(ssc, numberedInput(8)));
  runBatches(ssc, 10);  // advances the clock by the interval in effect, 250 ms a batch
  spdlog::set_default_logger(previous);

  REQUIRE(out.batches.size() == 10);
  std::vector<int> all;
  for (size_t i = 0; i < out.batches.size(); ++i) {
    CHECK(out.batches[i].first == ssc.zeroTime() + 250 * static_cast<int64_t>(i + 1));
    all.insert(all.end(), out.batches[i].second.begin(), out.batches[i].second.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int> expected(80);
  std::iota(expected.begin(), expected.end(), 0);
  CHECK(all == expected);

  // The REST statistics and batches say the same.
  StreamingProgress p = ssc.progress();
  CHECK(streamingStatistics(p)["batchDuration"] == 250);
  auto batches = streamingBatches(p);
  REQUIRE(batches.size() == 10);
  for (const auto& b : batches) {
    CHECK((b["batchId"].get<int64_t>() - ssc.zeroTime()) % 250 == 0);
    CHECK(b["batchDuration"] == 250);
  }
  // Said once, at start.
  int said = 0;
  for (const auto& line : sink->last_formatted())
    said += line.find("batch interval 250 ms from streaming.batchDuration, overriding the 1000 ms the application "
                      "gives") != std::string::npos;
  CHECK(said == 1);
}

TEST_CASE("an override that breaks a window's multiple is refused at start, naming the stream and the interval",
          "[streaming][interval]") {
  SECTION("window() of 3 s sliding by 1 s at 700 ms") {
    auto ctx = contextWithInterval("700ms");
    StreamingContext ssc(*ctx, Seconds(1));
    testInputStream(ssc, numberedInput(2)).window(Seconds(3), Seconds(1)).foreachRDD([](const RDD<int>&) {});
    CHECK_THROWS_WITH(ssc.start(),
                      Catch::Contains("WindowedDStream with window 3000 ms and slide 1000 ms does not fit batch "
                                      "interval 700 ms") &&
                          Catch::Contains("the batch interval is 700 ms (streaming.batchDuration; the application "
                                          "gives 1000 ms)"));
    CHECK(ssc.state() == StreamingContext::State::kInitialized);
  }
  SECTION("reduceByKeyAndWindow with an inverse function, 2 s sliding by 1 s, at 300 ms") {
    auto ctx = contextWithInterval("300ms");
    StreamingContext ssc(*ctx, Seconds(1));
    testInputStream(ssc, numberedInput(2))
        .map([](int&& i) { return std::pair<int, int>(i % 3, 1); })
        .reduceByKeyAndWindow([](int a, int b) { return a + b; }, [](int a, int b) { return a - b; }, Seconds(2),
                              Seconds(1))
        .foreachRDD([](const RDD<std::pair<int, int>>&) {});
    CHECK_THROWS_WITH(ssc.start(), Catch::Contains("ReducedWindowedDStream with window 2000 ms and slide 1000 ms "
                                                   "does not fit batch interval 300 ms"));
  }
  SECTION("without an override, a window that does not fit is refused the same way") {
    Conf conf;
    conf.set("streaming.clock", "manual").set("ui.enabled", "false");
    auto ctx = Context::create({"local[2]", "batch-interval-test", "", conf});
    REQUIRE(ctx.isOk());
    StreamingContext ssc(**ctx, Milliseconds(400));
    testInputStream(ssc, numberedInput(2)).window(Seconds(1), Seconds(1)).foreachRDD([](const RDD<int>&) {});
    CHECK_THROWS_WITH(ssc.start(), Catch::Contains("WindowedDStream with window 1000 ms and slide 1000 ms does not "
                                                   "fit batch interval 400 ms") &&
                                       !Catch::Contains("streaming.batchDuration"));
  }
}

TEST_CASE("an override that keeps the windows' multiples runs them at the new interval", "[streaming][interval]") {
  auto ctx = contextWithInterval("500ms");
  StreamingContext ssc(*ctx, Seconds(1));
  TimedBatches out;
  // A window of 2 s sliding by 1 s: at 500 ms, 4 batches a window, emitted every 2 batches.
  out.attach(testInputStream(ssc, numberedInput(8)).window(Seconds(2), Seconds(1)));
  runBatches(ssc, 8);
  REQUIRE(out.batches.size() == 4);
  for (size_t i = 0; i < out.batches.size(); ++i) {
    CHECK(out.batches[i].first == ssc.zeroTime() + 1000 * static_cast<int64_t>(i + 1));
    std::vector<int> rows = out.batches[i].second;
    std::sort(rows.begin(), rows.end());
    int first = std::max(0, 20 * static_cast<int>(i) - 20);  // the window's oldest batch's first number
    int last = 20 * static_cast<int>(i) + 19;                 // its newest batch's last number
    REQUIRE(rows.size() == static_cast<size_t>(last - first + 1));
    CHECK(rows.front() == first);
    CHECK(rows.back() == last);
  }
}

TEST_CASE("a bad streaming.batchDuration is refused when the StreamingContext is made", "[streaming][interval]") {
  auto ctx = contextWithInterval("quick");
  CHECK_THROWS_WITH(StreamingContext(*ctx, Seconds(1)),
                    Catch::Contains("streaming.batchDuration must be a positive duration such as 250ms or 2s, got "
                                    "'quick'"));
}
