// Overload made visible, on the manual clock: the JobScheduler logs the WARN line once a
// stream's batches fall behind its interval and keeps the state the REST statistics show;
// a stop that does not drain lists (and the StreamingContext logs) the queued batches it
// dropped, which the REST statistics still show after the stop.
#include <catch2/catch.hpp>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <thread>

#include "streaming/job_scheduler.h"
#include "streaming/ui/streaming_rest.h"
#include "tests/streaming/streaming_test_util.h"
#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// Captures the default logger's lines while alive.
struct LogCapture {
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(512);
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  LogCapture() { spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink)); }
  ~LogCapture() { spdlog::set_default_logger(previous); }
  std::vector<std::string> linesWith(const std::string& text) const {
    std::vector<std::string> out;
    for (auto& line : sink->last_formatted())
      if (line.find(text) != std::string::npos) out.push_back(line);
    return out;
  }
};

// Runs every job as it is, remembers nothing.
struct PlainHooks : BatchHooks {
  void closeBatch(Time) override {}
  void runJob(const StreamingJob&, const std::function<void()>& body) override { body(); }
  void jobFailed(Time, const std::string&) override {}
  void batchCompleted(Time) override {}
};

bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::vector<StreamingJob> oneJob(Time t, std::function<void()> run) {
  StreamingJob job;
  job.time = t;
  job.name = "job";
  job.run = std::move(run);
  return {std::move(job)};
}

}  // namespace

TEST_CASE("the job scheduler warns once its batches fall behind the interval, with the queue and the knobs",
          "[streaming][overload]") {
  LogCapture log;
  ManualClock clock(0);
  PlainHooks hooks;
  JobScheduler jobs(clock, 1, Milliseconds(100), hooks);
  // Five batches generated on time, each taking 150 ms of the manual clock to process.
  for (Time t = 100; t <= 500; t += 100) {
    clock.setTime(t);
    jobs.submit(t, 100, oneJob(t, [&clock] { clock.advance(150); }), {{0, 10}});
  }
  CHECK(jobs.numQueuedBatches() == 5);
  jobs.start();
  REQUIRE(jobs.waitForBatch(500, 30s));
  // Batch 100 ran from 500 to 650 (total delay 550 ms), 200 to 800, 300 to 950: the third
  // in a row over the interval warns, with batches 400 and 500 queued.
  auto warnings = log.linesWith("streaming is falling behind");
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("[warning]") &&
                              Catch::Contains("3 batches in a row had a total delay over the 100 ms batch interval "
                                              "(the last, batch 300: processing time 150 ms, total delay 650 ms)") &&
                              Catch::Contains("2 batches queued"));
  OverloadState state = jobs.overload();
  CHECK(state.overloaded);
  CHECK(state.consecutive_overloaded == 5);
  CHECK(state.warnings == 1);

  // A batch on time: it keeps up again.
  clock.setTime(1300);
  jobs.submit(1300, 100, oneJob(1300, [] {}), {{0, 10}});
  REQUIRE(jobs.waitForBatch(1300, 30s));
  CHECK(log.linesWith("streaming keeps up again: batch 1300 had total delay 0 ms").size() == 1);
  CHECK_FALSE(jobs.overload().overloaded);
  CHECK(jobs.stop(false));
  CHECK(jobs.droppedBatches().empty());
}

TEST_CASE("a stop that does not drain leaves the queued batches unrun and lists them", "[streaming][overload]") {
  ManualClock clock(0);
  PlainHooks hooks;
  JobScheduler jobs(clock, 1, Milliseconds(100), hooks);
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::atomic<int> ran{0};
  jobs.submit(100, 100, oneJob(100, [open, &ran] { open.wait(); ++ran; }), {});
  for (Time t = 200; t <= 500; t += 100) jobs.submit(t, 100, oneJob(t, [&ran] { ++ran; }), {});
  jobs.start();
  REQUIRE(waitFor([&] { return jobs.numQueuedBatches() == 4; }, 30s));  // batch 100 is running
  CHECK_FALSE(jobs.stop(false, 0ms));  // stops taking queued jobs; batch 100 still runs
  gate.set_value();
  REQUIRE(jobs.stop(false));
  CHECK(ran == 1);
  CHECK(jobs.droppedBatches() == std::vector<Time>{200, 300, 400, 500});
}

TEST_CASE("a non-graceful stop logs the queued batches it dropped, and the REST statistics keep the count",
          "[streaming][overload]") {
  LogCapture log;
  auto ctx = manualClockContext();
  StreamingContext ssc(*ctx, Milliseconds(100));
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  testInputStream<int>(ssc, {{1}, {2}, {3}, {4}, {5}}).foreachRDD([open](const RDD<int>& rdd, Time) {
    rdd.count();
    open.wait();  // the first batch holds the job thread until the test opens the gate
  });
  ssc.start();
  ssc.manualClock()->advance(500);  // batches 1..5 generated; 1 runs, 2..5 queue
  REQUIRE(waitFor([&] { return ssc.jobScheduler().numQueuedBatches() == 4; }, 30s));
  StreamingProgress before = ssc.progress();
  CHECK(streamingStatistics(before)["numQueuedBatches"] == 4);
  CHECK(streamingStatistics(before)["numDroppedBatches"] == 0);

  auto stopped = std::async(std::launch::async, [&] { ssc.stop(); });
  // The stop gives the running batch 2 s, says so, and cancels its jobs (there are none to
  // cancel here); the job thread takes no queued batch once it is released.
  REQUIRE(waitFor([&] { return !log.linesWith("batches still running after 2 s").empty(); }, 30s));
  gate.set_value();
  REQUIRE(stopped.wait_for(60s) == std::future_status::ready);

  auto dropped = log.linesWith("queued batches not run");
  REQUIRE(dropped.size() == 1);
  Time zero = ssc.zeroTime();
  CHECK_THAT(dropped[0], Catch::Contains("[warning]") &&
                             Catch::Contains("stopped with 4 queued batches not run (batch times " +
                                             std::to_string(zero + 200) + " to " + std::to_string(zero + 500) + ")") &&
                             Catch::Contains("streaming.stopGracefullyOnShutdown"));
  auto stats = streamingStatistics(ssc.progress());
  CHECK(stats["numDroppedBatches"] == 4);
  CHECK(stats["numTotalCompletedBatches"] == 1);
}
