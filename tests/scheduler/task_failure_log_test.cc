// The driver's "Lost task" lines for jobs run by a real executor (local mode: the same
// task serialization and status path as a cluster): a task that throws is logged at WARN
// with its task, stage, TID, host, executor and reason, and the job's abort ends with the
// last such line, as Spark's do.
#include <catch2/catch.hpp>

#include <atomic>
#include <regex>
#include <string>
#include <vector>

#include "driver/context.h"
#include "tests/common/log_capture.h"

using namespace sluice;
using sluice::testing::LogCapture;

namespace {

// How many more times the flaky task throws (the task runs in this process: local mode).
std::atomic<int> g_throws_left{0};

int flakyOnThree(int x) {
  if (x == 3 && g_throws_left.fetch_sub(1) > 0) throw std::runtime_error("flaky record 3");
  return x;
}

std::unique_ptr<Context> localContext(Conf conf = {}) {
  auto ctx = Context::create({"local[2]", "task-failure-log-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

// The host the local executor registered with ("executor driver added on <host> with ..."),
// escaped for a regex.
std::string driverExecutorHost(const LogCapture& log) {
  auto added = log.at(spdlog::level::info, "executor driver added on ");
  REQUIRE(added.size() == 1);
  std::smatch m;
  REQUIRE(std::regex_search(added[0], m, std::regex(R"(added on (\S+) with)")));
  return std::regex_replace(m[1].str(), std::regex(R"([.])"), R"(\.)");
}

}  // namespace

TEST_CASE("a task that throws on its first attempt is logged at WARN as Spark logs a lost task, and its retry succeeds",
          "[scheduler][failures]") {
  LogCapture log;  // before the context: its threads log through the default logger
  auto ctx = localContext();
  g_throws_left = 1;
  auto out = ctx->parallelize(std::vector<int>{1, 2, 3, 4}, 2).map([](int x) { return flakyOnThree(x); }).collect();
  CHECK(out == std::vector<int>{1, 2, 3, 4});
  std::string host = driverExecutorHost(log);
  auto lost = log.at(spdlog::level::warn, "Lost task");
  REQUIRE(lost.size() == 1);
  // 3 is in partition 1; the job's only stage is 0, its first attempt 0.
  CHECK(std::regex_match(lost[0], std::regex(R"(Lost task 1\.0 in stage 0\.0 \(TID \d+\) \()" + host +
                                             R"( executor driver\): flaky record 3)")));
  ctx->stop();
}

TEST_CASE("a job aborted after task.maxFailures names the last attempt's task, TID, host, executor and reason",
          "[scheduler][failures]") {
  LogCapture log;
  Conf conf;
  conf.set("task.maxFailures", "2");
  auto ctx = localContext(conf);
  g_throws_left = 1000;
  std::string message;
  try {
    ctx->parallelize(std::vector<int>{1, 2, 3, 4}, 2).map([](int x) { return flakyOnThree(x); }).collect();
  } catch (const JobFailedError& e) {
    message = e.what();
  }
  g_throws_left = 0;
  std::string host = driverExecutorHost(log);
  CHECK(log.at(spdlog::level::warn, "Lost task 1.0 in stage 0.0 (TID ").size() == 1);
  CHECK(log.at(spdlog::level::warn, "Lost task 1.1 in stage 0.0 (TID ").size() == 1);
  CHECK(std::regex_search(message, std::regex(R"(Task 1 in stage 0\.0 failed 2 times, most recent failure: )"
                                               R"(Lost task 1\.1 in stage 0\.0 \(TID \d+\) \()" +
                                               host + R"( executor driver\): flaky record 3)")));
  ctx->stop();
}
