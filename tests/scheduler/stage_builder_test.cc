// Stage cutting and stage ids, observed through the scheduler's job and stage events in
// local mode.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "driver/context.h"

using namespace sluice;

namespace {

class JobRecorder : public SchedulerListener {
 public:
  void onJobEnd(const JobInfo& info) override {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(info);
  }
  void onStageSubmitted(const StageInfo& info) override {
    std::lock_guard<std::mutex> lock(mu_);
    submitted_.push_back(info);
  }
  JobInfo last() {
    std::lock_guard<std::mutex> lock(mu_);
    return jobs_.back();
  }
  // The stages submitted so far, in order.
  std::vector<StageInfo> submitted() {
    std::lock_guard<std::mutex> lock(mu_);
    return submitted_;
  }

 private:
  std::mutex mu_;
  std::vector<JobInfo> jobs_;
  std::vector<StageInfo> submitted_;
};

// "0 map", "1 result", ...: each stage's id and kind.
std::vector<std::string> idsAndKinds(const std::vector<StageInfo>& stages) {
  std::vector<std::string> out;
  for (const auto& s : stages) out.push_back(std::to_string(s.stage_id) + (s.is_map ? " map" : " result"));
  return out;
}

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
  CHECK(first.stage_ids == std::vector<int>{0, 1, 2});  // parents first, as Spark numbers them
  CHECK(first.skipped_stage_ids.empty());
  std::map<int, int> sums(result.begin(), result.end());
  CHECK(sums[0] + sums[1] == 999 * 1000 / 2);

  // Same lineage again: both map stages' outputs exist, only the result stage runs.
  auto again = byParity.collect();
  JobInfo second = recorder.last();
  CHECK(second.stage_ids == std::vector<int>{0, 1, 3});  // a new result stage, the map stages reused
  CHECK(second.skipped_stage_ids == std::vector<int>{0, 1});
  CHECK(std::map<int, int>(again.begin(), again.end()) == sums);

  // A new job reading the first shuffle skips that shuffle's map stage only.
  CHECK(byMod.count() == 10);
  JobInfo third = recorder.last();
  CHECK(third.stage_ids == std::vector<int>{0, 4});
  CHECK(third.skipped_stage_ids == std::vector<int>{0});
}

TEST_CASE("stage ids as Spark gives them: a word count's map stage is 0 and its result stage 1, the next job's 2 and 3",
          "[scheduler]") {
  auto ctx = localContext();
  JobRecorder recorder;
  ctx->addListener(&recorder);
  auto wordCount = [&] {
    return ctx->parallelize(std::vector<std::string>{"a", "b", "a", "c", "a", "b"}, 3)
        .map([](std::string&& w) { return std::pair<std::string, int>(std::move(w), 1); })
        .reduceByKey([](int a, int b) { return a + b; }, 2)
        .collect();
  };
  auto counts = wordCount();
  CHECK(std::map<std::string, int>(counts.begin(), counts.end()) ==
        std::map<std::string, int>{{"a", 3}, {"b", 2}, {"c", 1}});
  CHECK(recorder.last().stage_ids == std::vector<int>{0, 1});
  CHECK(idsAndKinds(recorder.submitted()) == std::vector<std::string>{"0 map", "1 result"});

  wordCount();  // a new lineage: new stages with higher ids
  CHECK(recorder.last().stage_ids == std::vector<int>{2, 3});
  CHECK(idsAndKinds(recorder.submitted()) == std::vector<std::string>{"0 map", "1 result", "2 map", "3 result"});
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
