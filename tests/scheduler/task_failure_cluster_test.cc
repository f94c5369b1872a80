// The driver's "Lost task" line on a real local cluster (separate executor processes): a
// task that throws on its first attempt is logged at WARN with its task, stage, TID, the
// executor's host and id, and the reason, as Spark logs it; the retry succeeds.
#include <catch2/catch.hpp>

#include <regex>

#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

TEST_CASE("a task that throws on its first attempt on a cluster is logged at WARN as Spark's Lost task line",
          "[integration][failures]") {
  TempDir tmp("flaky");
  Child submit(submitArgv("local-cluster[2,1,512]", {libDir() + "/libflaky_app.so", tmp / "marker"}), tmp / "driver");
  REQUIRE(submit.started());
  auto exit = submit.wait(120s);
  REQUIRE(exit.has_value());
  std::string err = submit.err();
  INFO(err);
  REQUIRE(exit->exit_code == 0);
  CHECK(submit.out().find("flaky job: 40 rows") != std::string::npos);
  std::smatch lost;
  REQUIRE(std::regex_search(err, lost,
                            std::regex(R"(warning \[driver\] Lost task 1\.0 in stage 0\.0 \(TID \d+\) \((\S+) executor )"
                                       R"((\S+)\): flaky partition 1)")));
  // The host and executor named are those of an executor the driver registered.
  std::string host = lost[1], executor = lost[2];
  CHECK(err.find("executor " + executor + " added on " + host + " with") != std::string::npos);
}
