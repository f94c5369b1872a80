// Stage cutting, observed through the scheduler's job events in local mode.
#include <catch2/catch.hpp>

#include <mutex>

#include "driver/context.h"

using namespace sluice;

namespace {

class JobRecorder : public SchedulerListener {
 public:
  void onJobEnd(const JobInfo& info) override {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(info);
  }
  JobInfo last() {
    std::lock_guard<std::mutex> lock(mu_);
    return jobs_.back();
  }

 private:
  std::mutex mu_;
  std::vector<JobInfo> jobs_;
};

std::unique_ptr<Context> localContext() {
  auto ctx = Context::create({"local[2]", "stage-test", "", Conf()});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

}  // namespace

TEST_CASE("a job with two shuffles has three stages, reusing a shuffle skips its stage", "[scheduler]") {
  auto ctx = localContext();
  JobRecorder recorder;
  ctx->addListener(&recorder);
  std::vector<int> data;
  for (int i = 0; i < 1000; ++i) data.push_back(i);
  auto byMod = ctx->parallelize(data, 4)
                   .map([](int x) { return std::pair<int, int>(x % 10, x); })
                   .reduceByKey([](int a, int b) { return a + b; }, 3);
  auto byParity = byMod.map([](std::pair<int, int>&& kv) { return std::pair<int, int>(kv.first % 2, kv.second); })
                      .reduceByKey([](int a, int b) { return a + b; }, 2);

  auto result = byParity.collect();
  JobInfo first = recorder.last();
  CHECK(first.succeeded);
  CHECK(first.stage_ids.size() == 3);
  CHECK(first.skipped_stage_ids.empty());
  std::map<int, int> sums(result.begin(), result.end());
  CHECK(sums[0] + sums[1] == 999 * 1000 / 2);

  // Same lineage again: both map stages' outputs exist, only the result stage runs.
  auto again = byParity.collect();
  JobInfo second = recorder.last();
  CHECK(second.stage_ids.size() == 3);
  CHECK(second.skipped_stage_ids.size() == 2);
  CHECK(std::map<int, int>(again.begin(), again.end()) == sums);

  // A new job reading the first shuffle skips that shuffle's map stage only.
  CHECK(byMod.count() == 10);
  JobInfo third = recorder.last();
  CHECK(third.stage_ids.size() == 2);
  CHECK(third.skipped_stage_ids.size() == 1);
}

TEST_CASE("a narrow-only job is a single stage", "[scheduler]") {
  auto ctx = localContext();
  JobRecorder recorder;
  ctx->addListener(&recorder);
  auto n = ctx->parallelize(std::vector<int>{1, 2, 3, 4}, 2).map([](int x) { return x * 2; }).filter([](int x) {
    return x > 2;
  });
  CHECK(n.count() == 3);
  CHECK(recorder.last().stage_ids.size() == 1);
}
