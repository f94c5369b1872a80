// streaming.batchDuration.adaptive on a real StreamingContext and the manual clock. The
// input's rate steps up x5 and back down; the output's processing time, on the manual
// clock, is 60 ms + 0.1 ms a record (it waits for the clock to get there). The test thread
// moves the clock only when nothing else can happen first (no batch is being generated, and
// every batch is done or the running one waits for the clock), to the next batch time or to
// the end of the running batch, whichever comes first, so every run is the same.
//
// At 100 ms the low rate (1 record/ms) takes 70 ms a batch, on target; the high rate (5
// records/ms) takes 110 ms a batch: a fixed 100 ms interval falls further behind every
// batch, while the adaptive interval grows to 60 / (0.7 - 0.5) = 300 ms and comes back.
// Also: windows, state and backpressure are refused at start, bad bounds at construction.
#include <catch2/catch.hpp>

#include <atomic>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "streaming/adaptive/adaptive_batch_interval.h"
#include "streaming/ui/streaming_rest.h"
#include "tests/streaming/test_input_stream.h"

using namespace sluice;

namespace {

constexpr int64_t kStepUpMs = 3000;    // stream time the rate goes up at
constexpr int64_t kStepDownMs = 9000;  // and back down
constexpr int64_t kEndMs = 16000;

int64_t recordsPerMs(int64_t since_zero) { return since_zero > kStepUpMs && since_zero <= kStepDownMs ? 5 : 1; }

// rate x the time the batch covers, numbered records.
class SteppedRateInput : public InputDStream<int> {
 public:
  explicit SteppedRateInput(StreamingContext* ssc)
      : InputDStream<int>(ssc, ssc->graph().nextInputId(), ssc->batchDuration()) {}
  std::string name() const override { return "SteppedRateInput"; }

 protected:
  std::optional<RDD<int>> compute(Time t) override {
    Time from = previous_ < 0 ? zeroTime() : previous_;
    previous_ = t;
    std::vector<int> rows(static_cast<size_t>(recordsPerMs(t - zeroTime()) * (t - from)));
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int>(i);
    setRecords(t, static_cast<int64_t>(rows.size()));
    return context()->context().parallelize(std::move(rows), 2);
  }

 private:
  Time previous_ = -1;
};

struct Batch {
  Time time;
  int64_t started;  // on the manual clock
  int64_t records;
};

struct Run {
  std::vector<Batch> batches;
  std::vector<BatchInfo> infos;
  nlohmann::json rest_batches;
  int64_t max_active = 0;  // batches queued or running, the most seen
};

std::unique_ptr<Context> context(bool adaptive) {
  Conf conf;
  conf.set("streaming.clock", "manual").set("ui.enabled", "false");
  if (adaptive) {
    conf.set("streaming.batchDuration.adaptive", "true")
        .set("streaming.batchDuration.adaptive.min", "100ms")
        .set("streaming.batchDuration.adaptive.max", "5s");
  }
  auto ctx = Context::create({"local[2]", "adaptive-interval-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

Run runSteppedRate(bool adaptive) {
  auto ctx = context(adaptive);
  StreamingContext ssc(*ctx, Milliseconds(100));
  ManualClock* clock = ssc.manualClock();
  REQUIRE(clock != nullptr);
  auto node = std::make_shared<SteppedRateInput>(&ssc);
  ssc.graph().addInput(std::make_shared<InputStreamAdapter<int>>(node));
  Run run;
  std::mutex mu;
  std::atomic<int64_t> busy_until{-1};
  std::atomic<bool> draining{false};  // set before the final clock jump: no batch waits after it
  DStream<int>(&ssc, node).foreachRDD([&](const RDD<int>& rdd, Time t) {
    int64_t n = rdd.count();
    int64_t start = clock->nowMs();
    {
      std::lock_guard<std::mutex> lock(mu);
      run.batches.push_back({t, start, n});
    }
    busy_until = start + 60 + n / 10;
    // A batch that starts after the final jump must not wait for a clock nobody moves.
    if (!draining.load()) clock->waitUntil(busy_until);
    busy_until = -1;
  });
  ssc.start();
  JobGenerator& generator = ssc.jobGenerator();
  // Nothing happens until the clock moves: no batch being generated, and every batch done
  // or the running one waiting for the clock.
  auto quiet = [&] {
    int64_t now = clock->nowMs();
    if (generator.nextBatchTime() <= now) return false;
    if (busy_until.load() > now) return true;
    Time last = generator.lastGeneratedBatch();
    return last < 0 || ssc.waitForBatch(last, std::chrono::milliseconds(0));
  };
  while (clock->nowMs() < ssc.zeroTime() + kEndMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!quiet()) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    run.max_active = std::max<int64_t>(run.max_active, static_cast<int64_t>(ssc.jobScheduler().activeBatches().size()));
    int64_t target = generator.nextBatchTime();
    if (int64_t busy = busy_until.load(); busy > clock->nowMs()) target = std::min(target, busy);
    clock->setTime(target);
  }
  run.rest_batches = streamingBatches(ssc.progress());
  run.infos = ssc.jobScheduler().completedBatches();
  // No more batches; a batch waiting for the clock ends, so that stop() does not wait on it.
  generator.stop();
  draining = true;
  clock->setTime(clock->nowMs() + 100000);
  ssc.stop();
  std::lock_guard<std::mutex> lock(mu);
  return run;
}

// The interval of batch i: its time minus the one before (the first: minus the zero time 0).
int64_t intervalOf(const std::vector<Batch>& b, size_t i) { return b[i].time - (i == 0 ? 0 : b[i - 1].time); }

}  // namespace

TEST_CASE("adaptive interval: a x5 step of the input rate makes the interval grow, hold and shrink back, and no "
          "queue grows, while a fixed interval falls behind",
          "[streaming][adaptive]") {
  Run adaptive = runSteppedRate(true);
  const auto& b = adaptive.batches;
  REQUIRE(b.size() > 40);
  size_t first_high = 0, first_low_again = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    int64_t late = b[i].started - b[i].time;  // how long the batch waited: the queue
    CHECK(late >= 0);
    CHECK(late <= 100);  // bounded by one short interval, all along
    if (b[i].time <= kStepUpMs) {
      CHECK(intervalOf(b, i) == 100);  // 70 ms of 100: on target
      CHECK(late == 0);
    } else if (b[i].time <= kStepDownMs) {
      if (!first_high) first_high = i;
      if (b[i].time > kStepUpMs + 1000) {  // after the step: held at 300 ms, nothing waits
        CHECK(intervalOf(b, i) >= 300);
        CHECK(intervalOf(b, i) <= 330);
        CHECK(late == 0);
        CHECK(b[i].records == 5 * intervalOf(b, i));
      }
    } else {
      if (!first_low_again) first_low_again = i;
      // Shrinking slowly: never longer than the batch before, at most 10 % shorter.
      if (i > first_low_again) {
        CHECK(intervalOf(b, i) <= intervalOf(b, i - 1));
        CHECK(intervalOf(b, i) >= intervalOf(b, i - 1) * 9 / 10 - 1);
      }
      CHECK(late == 0);
    }
  }
  REQUIRE(first_high > 0);
  REQUIRE(first_low_again > first_high);
  // Up within three batches of the step (doubling, then the fitted model's 300 ms).
  CHECK(intervalOf(b, first_high + 2) >= 300);
  // Back near the minimum by the end.
  CHECK(intervalOf(b, b.size() - 1) <= 110);
  CHECK(adaptive.max_active <= 2);  // the running batch and at most one waiting

  // Every batch's info and REST entry carry its own interval.
  std::map<Time, int64_t> interval_at;
  for (size_t i = 0; i < b.size(); ++i) interval_at[b[i].time] = intervalOf(b, i);
  for (const BatchInfo& info : adaptive.infos) CHECK(info.interval_ms == interval_at.at(info.batch_time));
  int checked = 0;
  for (const auto& j : adaptive.rest_batches) {
    auto it = interval_at.find(j["batchId"].get<int64_t>());
    if (it == interval_at.end()) continue;
    CHECK(j["batchDuration"].get<int64_t>() == it->second);
    ++checked;
  }
  CHECK(checked > 40);

  // The same input at a fixed 100 ms: every batch of the high rate waits 10 ms longer.
  Run fixed = runSteppedRate(false);
  int64_t late_at_step_down = 0, previous_late = -1;
  bool growing = true;
  for (size_t i = 0; i < fixed.batches.size(); ++i) {
    const Batch& x = fixed.batches[i];
    CHECK(intervalOf(fixed.batches, i) == 100);
    if (x.time > kStepUpMs + 200 && x.time <= kStepDownMs) {
      int64_t late = x.started - x.time;
      growing = growing && late > previous_late;
      previous_late = late;
      late_at_step_down = late;
    }
  }
  CHECK(growing);
  CHECK(late_at_step_down >= 500);
  CHECK(fixed.max_active >= 5);
}

namespace {

std::unique_ptr<Context> adaptiveContext(const std::map<std::string, std::string>& extra = {}) {
  Conf conf;
  conf.set("streaming.clock", "manual").set("ui.enabled", "false").set("streaming.batchDuration.adaptive", "true");
  for (const auto& [k, v] : extra) conf.set(k, v);
  auto ctx = Context::create({"local[2]", "adaptive-refusal-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

std::vector<std::vector<int>> someInput() { return {{1, 2, 3}, {4, 5}}; }

}  // namespace

TEST_CASE("adaptive interval: windows, state and backpressure are refused at start with a clear message",
          "[streaming][adaptive]") {
  SECTION("a window") {
    auto ctx = adaptiveContext();
    StreamingContext ssc(*ctx, Seconds(1));
    testing::testInputStream(ssc, someInput()).window(Seconds(3), Seconds(1)).foreachRDD([](const RDD<int>&) {});
    CHECK_THROWS_WITH(ssc.start(), Catch::Contains("WindowedDStream with window 3000 ms and slide 1000 ms cannot "
                                                   "run with an adaptive batch interval") &&
                                       Catch::Contains("streaming.batchDuration.adaptive off"));
    CHECK(ssc.state() == StreamingContext::State::kInitialized);
  }
  SECTION("reduceByKeyAndWindow with an inverse function") {
    auto ctx = adaptiveContext();
    StreamingContext ssc(*ctx, Seconds(1));
    testing::testInputStream(ssc, someInput())
        .map([](int&& i) { return std::pair<int, int>(i % 3, 1); })
        .reduceByKeyAndWindow([](int a, int b) { return a + b; }, [](int a, int b) { return a - b; }, Seconds(2),
                              Seconds(1))
        .foreachRDD([](const RDD<std::pair<int, int>>&) {});
    CHECK_THROWS_WITH(ssc.start(), Catch::Contains("ReducedWindowedDStream with window 2000 ms") &&
                                       Catch::Contains("cannot run with an adaptive batch interval"));
  }
  SECTION("updateStateByKey") {
    auto ctx = adaptiveContext();
    StreamingContext ssc(*ctx, Seconds(1));
    testing::testInputStream(ssc, someInput())
        .map([](int&& i) { return std::pair<int, int>(i % 3, 1); })
        .updateStateByKey<int>([](std::vector<int> v, std::optional<int> s) {
          return std::optional<int>(s.value_or(0) + static_cast<int>(v.size()));
        })
        .foreachRDD([](const RDD<std::pair<int, int>>&) {});
    CHECK_THROWS_WITH(ssc.start(), Catch::Contains("StateDStream is stateful") &&
                                       Catch::Contains("cannot run with an adaptive batch interval"));
  }
  SECTION("backpressure") {
    auto ctx = adaptiveContext({{"streaming.backpressure.enabled", "true"}});
    StreamingContext ssc(*ctx, Seconds(1));
    testing::testInputStream(ssc, someInput()).foreachRDD([](const RDD<int>&) {});
    CHECK_THROWS_WITH(ssc.start(), Catch::Contains("streaming.backpressure.enabled and "
                                                   "streaming.batchDuration.adaptive") &&
                                       Catch::Contains("enable one of them"));
  }
  SECTION("without adaptive, the same window runs") {
    Conf conf;
    conf.set("streaming.clock", "manual").set("ui.enabled", "false");
    auto ctx = Context::create({"local[2]", "adaptive-refusal-test", "", conf});
    REQUIRE(ctx.isOk());
    StreamingContext ssc(**ctx, Seconds(1));
    testing::testInputStream(ssc, someInput()).window(Seconds(3), Seconds(1)).foreachRDD([](const RDD<int>&) {});
    CHECK_NOTHROW(ssc.start());
    ssc.stop();
  }
}

TEST_CASE("adaptive interval: out-of-range bounds are refused when the context is built", "[streaming][adaptive]") {
  auto ctx = adaptiveContext({{"streaming.batchDuration.adaptive.min", "2s"},
                              {"streaming.batchDuration.adaptive.max", "1s"}});
  CHECK_THROWS_WITH(StreamingContext(*ctx, Seconds(1)),
                    Catch::Contains("streaming.batchDuration.adaptive.max (1000 ms) must not be below "
                                    "streaming.batchDuration.adaptive.min (2000 ms)"));
  auto ratio = adaptiveContext({{"streaming.batchDuration.adaptive.targetRatio", "1.5"}});
  CHECK_THROWS_WITH(StreamingContext(*ratio, Seconds(1)),
                    Catch::Contains("streaming.batchDuration.adaptive.targetRatio must be in (0, 1]"));
}

TEST_CASE("adaptive interval: a driver restarted from a checkpoint keeps the zero time and goes on after the "
          "previous batch times, from the initial interval",
          "[streaming][adaptive]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("sluice-adaptive-restart-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::vector<Time> times;
  std::mutex mu;
  auto build = [&](Context& ctx) {
    auto ssc = std::make_unique<StreamingContext>(ctx, Milliseconds(200));
    testing::testInputStream(*ssc, someInput()).foreachRDD([&](const RDD<int>& rdd, Time t) {
      rdd.count();
      std::lock_guard<std::mutex> lock(mu);
      times.push_back(t);
    });
    return ssc;
  };
  auto runBatches = [&](StreamingContext& ssc, int n) {
    for (int i = 0; i < n; ++i) {
      Time next = ssc.jobGenerator().nextBatchTime();
      ssc.manualClock()->setTime(next);
      REQUIRE(ssc.waitForBatch(next, std::chrono::seconds(30)));
    }
  };
  Time zero = -1;
  {
    auto ctx = adaptiveContext();
    auto ssc = StreamingContext::getOrCreate(dir.string(), [&] { return build(*ctx); });
    ssc->start();
    zero = ssc->zeroTime();
    runBatches(*ssc, 4);  // fast batches: 200 ms shrinks by 10 % a batch
    ssc->stop();
  }
  REQUIRE(times.size() == 4);
  CHECK(times[0] == zero + 200);
  CHECK(times[1] - times[0] == 180);
  CHECK(times[3] - times[2] < 180);
  Time last = times.back();
  {
    auto ctx = adaptiveContext();
    auto ssc = StreamingContext::getOrCreate(dir.string(), [&] { return build(*ctx); });
    ssc->manualClock()->setTime(last + 1000);
    ssc->start();
    CHECK(ssc->zeroTime() == zero);
    runBatches(*ssc, 2);
    ssc->stop();
  }
  fs::remove_all(dir);
  REQUIRE(times.size() == 6);
  CHECK(times[4] > last + 1000);
  CHECK((times[4] - zero) % 200 == 0);  // the first batch after a restart: on the initial interval's grid
  CHECK(times[5] - times[4] == 180);    // then adaptive again, from 200 ms
}
