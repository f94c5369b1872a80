// FAIR pools end to end in local[4] (four task slots in this process): jobs submitted from
// threads that name their pool with the scheduler.pool local property compete for slots.
// Tasks sleep 10 ms and add their slot time to their pool's counter while measuring.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "driver/context.h"
#include "streaming/streaming_context.h"

using namespace sluice;
using namespace std::chrono_literals;

namespace {

std::atomic<bool> g_measuring{false};
std::atomic<int64_t> g_slot_us[2];

// Runs jobs of 12 sleeping tasks in pool until stop; pool_index picks the counter.
void submitJobs(Context& ctx, const std::string& pool, int pool_index, const std::atomic<bool>& stop) {
  ctx.setLocalProperty("scheduler.pool", pool);
  while (!stop) {
    ctx.parallelize(std::vector<int>(12), 12)
        .map([pool_index](const int& x) {
          auto start = std::chrono::steady_clock::now();
          std::this_thread::sleep_for(10ms);
          auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
          if (g_measuring) g_slot_us[pool_index] += us.count();
          return x;
        })
        .count();
  }
}

// The share of slot time pool 0 got while two threads per pool kept both pools busy.
double shareOfFirstPool(const std::string& allocations, const std::string& pool0, const std::string& pool1) {
  auto file = std::filesystem::temp_directory_path() / ("sluice-fair-it-" + std::to_string(::getpid()) + ".xml");
  std::ofstream(file) << allocations;
  Conf conf;
  conf.set("scheduler.mode", "FAIR");
  conf.set("scheduler.allocation.file", file.string());
  auto ctx = Context::create({"local[4]", "fair-test", "", conf});
  REQUIRE(ctx);
  g_slot_us[0] = 0;
  g_slot_us[1] = 0;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] { submitJobs(**ctx, pool0, 0, stop); });
    threads.emplace_back([&] { submitJobs(**ctx, pool1, 1, stop); });
  }
  std::this_thread::sleep_for(300ms);  // both pools busy
  g_measuring = true;
  std::this_thread::sleep_for(2500ms);
  g_measuring = false;
  stop = true;
  for (auto& t : threads) t.join();
  (*ctx)->stop();
  std::filesystem::remove(file);
  double a = static_cast<double>(g_slot_us[0].load()), b = static_cast<double>(g_slot_us[1].load());
  REQUIRE(a + b > 0);
  return a / (a + b);
}

}  // namespace

TEST_CASE("FAIR pools weighted 1 and 3 share slot time 1:3 within 10 percent", "[integration][fair]") {
  double light = shareOfFirstPool(R"(<allocations>
      <pool name="light"><schedulingMode>FIFO</schedulingMode><weight>1</weight></pool>
      <pool name="heavy"><schedulingMode>FIFO</schedulingMode><weight>3</weight></pool>
    </allocations>)",
                                  "light", "heavy");
  double ratio = (1 - light) / light;
  INFO("light pool share " << light << ", heavy:light " << ratio);
  CHECK(ratio > 2.7);
  CHECK(ratio < 3.3);
}

TEST_CASE("FAIR honours minShare before weights", "[integration][fair]") {
  // 4 slots: "guaranteed" (weight 1, minShare 3) keeps 3 of them against weight 10.
  double guaranteed = shareOfFirstPool(R"(<allocations>
      <pool name="guaranteed"><weight>1</weight><minShare>3</minShare></pool>
      <pool name="greedy"><weight>10</weight></pool>
    </allocations>)",
                                       "guaranteed", "greedy");
  INFO("guaranteed pool share " << guaranteed);
  CHECK(guaranteed > 0.68);
  CHECK(guaranteed < 0.82);
}

namespace {

// Two streaming output operations, defined under two pools, over a backlog of 80 batches
// of 12 sleeping tasks each. streaming.concurrentJobs lets every queued job run at once
// (with fewer, jobs start in batch order, so the pools would alternate rather than compete);
// returns the first pool's share of slot time while both were busy.
double streamingShareOfFirstPool(const std::string& allocations, const std::string& pool0, const std::string& pool1) {
  auto file = std::filesystem::temp_directory_path() / ("sluice-fair-st-" + std::to_string(::getpid()) + ".xml");
  std::ofstream(file) << allocations;
  Conf conf;
  conf.set("scheduler.mode", "FAIR");
  conf.set("scheduler.allocation.file", file.string());
  conf.set("streaming.clock", "manual");
  conf.set("streaming.concurrentJobs", "160");
  conf.set("ui.enabled", "false");
  auto ctx = Context::create({"local[4]", "fair-streaming-test", "", conf});
  REQUIRE(ctx);
  g_slot_us[0] = 0;
  g_slot_us[1] = 0;
  {
    StreamingContext ssc(**ctx, Seconds(1));
    auto queue = std::make_shared<RDDQueue<int>>();
    constexpr int kBatches = 80;
    for (int i = 0; i < kBatches; ++i) queue->push((*ctx)->parallelize(std::vector<int>(12), 12));
    auto input = ssc.queueStream(queue);
    for (int index : {0, 1}) {
      (*ctx)->setLocalProperty("scheduler.pool", index == 0 ? pool0 : pool1);
      input.map([index](const int& x) {
             auto start = std::chrono::steady_clock::now();
             std::this_thread::sleep_for(10ms);
             auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
             if (g_measuring) g_slot_us[index] += us.count();
             return x;
           })
          .foreachRDD([](const RDD<int>& rdd) { rdd.count(); });
    }
    (*ctx)->setLocalProperty("scheduler.pool", "");
    ssc.start();
    ssc.manualClock()->advance(kBatches * 1000);  // the whole backlog at once
    std::this_thread::sleep_for(300ms);            // both pools busy
    g_measuring = true;
    std::this_thread::sleep_for(2000ms);
    g_measuring = false;
    ssc.stop();
  }
  (*ctx)->stop();
  std::filesystem::remove(file);
  double a = static_cast<double>(g_slot_us[0].load()), b = static_cast<double>(g_slot_us[1].load());
  REQUIRE(a + b > 0);
  return a / (a + b);
}

}  // namespace

TEST_CASE("FAIR pools weighted 1 and 3 share slot time 1:3 between two streaming output operations",
          "[integration][fair]") {
  double light = streamingShareOfFirstPool(R"(<allocations>
      <pool name="light"><weight>1</weight></pool>
      <pool name="heavy"><weight>3</weight></pool>
    </allocations>)",
                                           "light", "heavy");
  double ratio = (1 - light) / light;
  INFO("light pool share " << light << ", heavy:light " << ratio);
  CHECK(ratio > 2.7);
  CHECK(ratio < 3.3);
}

TEST_CASE("FAIR honours minShare between two streaming output operations", "[integration][fair]") {
  double guaranteed = streamingShareOfFirstPool(R"(<allocations>
      <pool name="guaranteed"><weight>1</weight><minShare>3</minShare></pool>
      <pool name="greedy"><weight>10</weight></pool>
    </allocations>)",
                                                "guaranteed", "greedy");
  INFO("guaranteed pool share " << guaranteed);
  CHECK(guaranteed > 0.68);
  CHECK(guaranteed < 0.82);
}
