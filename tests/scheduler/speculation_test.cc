// Speculation on a real local cluster (two executors, one core each): one attempt of one
// partition sleeps. With speculation on, a copy of it runs on the other executor, wins,
// and the original is killed; the job takes under half the time it takes without.
#include <catch2/catch.hpp>

#include <regex>

#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kSleepMs = 3000;

struct Run {
  int64_t job_ms = -1;
  std::string log;
};

Run runStraggler(bool speculation) {
  TempDir tmp(speculation ? "spec-on" : "spec-off");
  // minTaskRuntime 500 ms: the original attempt of partition 0 has surely taken the marker (and
  // straggles) before a copy is launched, even when loading the app delays its start on a busy
  // machine; with the default 100 ms the copy could reach the marker first and straggle itself.
  // --log-level debug: the per-task "finished task ... (... speculative)" lines are debug.
  Child submit(submitArgv("local-cluster[2,1,512]",
                          {"--log-level", "debug", "--conf", std::string("speculation=") + (speculation ? "true" : "false"), "--conf",
                           "speculation.minTaskRuntime=500ms", libDir() + "/libstraggler_app.so", tmp / "marker",
                           std::to_string(kSleepMs)}),
               tmp / "driver");
  REQUIRE(submit.started());
  auto exit = submit.wait(120s);
  REQUIRE(exit.has_value());
  Run run;
  run.log = submit.err();
  INFO(run.log);
  REQUIRE(exit->exit_code == 0);
  std::smatch m;
  std::string out = submit.out();
  REQUIRE(std::regex_search(out, m, std::regex("straggler job took (\\d+) ms, 80 rows")));
  run.job_ms = std::stoll(m[1]);
  return run;
}

}  // namespace

TEST_CASE("speculation copies a straggler to another executor and halves the job time",
          "[integration][speculation]") {
  Run off = runStraggler(false);
  Run on = runStraggler(true);
  INFO("speculation off: " << off.job_ms << " ms, on: " << on.job_ms << " ms");
  CHECK(off.job_ms >= kSleepMs);
  CHECK(on.job_ms * 2 < off.job_ms);
  INFO(on.log);
  CHECK(on.log.find("speculating it") != std::string::npos);
  CHECK(on.log.find("speculative)") != std::string::npos);
  CHECK(on.log.find("killing attempt") != std::string::npos);
  CHECK(off.log.find("speculating it") == std::string::npos);
}
