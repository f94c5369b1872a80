// The batch interval from sluice-submit --batch-duration, with a real driver process
// (interval_app): the override cuts the batches at the new interval and every record
// arrives; an override that breaks a window is refused with the stream and the interval
// named and a non-zero exit.
#include <catch2/catch.hpp>

#include <csignal>
#include <regex>

#include "tests/integration/http_json.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// interval_app in client mode on local[2], its driver UI on any port.
struct IntervalApp : StreamingDriverProcess {
  IntervalApp(const TempDir& tmp, const std::vector<std::string>& submit_flags, const std::vector<std::string>& args)
      : StreamingDriverProcess(argv(submit_flags, args), tmp / "app") {}

  static std::vector<std::string> argv(std::vector<std::string> flags, const std::vector<std::string>& args) {
    flags.insert(flags.begin(), {"--conf", "ui.port=0"});
    flags.push_back(libDir() + "/libinterval_app.so");
    flags.insert(flags.end(), args.begin(), args.end());
    return submitArgv("local[2]", flags);
  }
};

// The "batch <time> ms: <n> records" lines the app printed: time -> records.
std::map<int64_t, int64_t> printedBatches(const std::string& out) {
  std::map<int64_t, int64_t> batches;
  std::regex line("batch ([0-9]+) ms: ([0-9]+) records");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it)
    batches[std::stoll((*it)[1].str())] = std::stoll((*it)[2].str());
  return batches;
}

int64_t recordsIn(const std::map<int64_t, int64_t>& batches) {
  int64_t total = 0;
  for (const auto& [t, n] : batches) total += n;
  return total;
}

}  // namespace

TEST_CASE("sluice-submit --batch-duration runs the application at that interval and every record arrives",
          "[integration][streaming][interval]") {
  TempDir tmp("batch-duration");
  // In code: 1000 ms. 20 batches of input, 50 records each.
  IntervalApp app(tmp, {"--batch-duration", "250ms"}, {"1000", "20", "50", "0"});
  REQUIRE(waitFor([&] { return recordsIn(printedBatches(app.child.out())) == 1000; }, 60s));
  INFO(app.child.err());
  CHECK(app.child.out().find("batch interval 250 ms") != std::string::npos);  // ssc.batchDuration()
  auto batches = printedBatches(app.child.out());
  bool off_the_code_grid = false;
  for (const auto& [t, n] : batches) {
    CHECK(t % 250 == 0);
    off_the_code_grid |= t % 1000 != 0;
  }
  CHECK(off_the_code_grid);
  json stats = app.streaming("statistics");
  CHECK(stats["batchDuration"] == 250);
  for (const auto& b : app.streaming("batches")) CHECK(b["batchId"].get<int64_t>() % 250 == 0);
  CHECK(countOf(app.child.err(), "batch interval 250 ms from streaming.batchDuration, overriding the 1000 ms the "
                                 "application gives") == 1);
  ::kill(app.child.pid(), SIGTERM);
  REQUIRE(app.child.wait(60s).has_value());
}

TEST_CASE("sluice-submit refuses a --batch-duration that breaks a window, or is not a duration",
          "[integration][streaming][interval]") {
  TempDir tmp("batch-duration-refused");
  SECTION("a window of 3 s sliding by 1 s at 700 ms") {
    Child submit(submitArgv("local[2]", {"--conf", "ui.enabled=false", "--batch-duration", "700ms",
                                         libDir() + "/libinterval_app.so", "1000", "5", "10", "0", "3000", "1000"}),
                 tmp / "window");
    requireExitCode(submit, 1, 60s);
    CHECK_THAT(submit.err(), Catch::Contains("WindowedDStream with window 3000 ms and slide 1000 ms does not fit "
                                             "batch interval 700 ms") &&
                                 Catch::Contains("the batch interval is 700 ms (streaming.batchDuration; the "
                                                 "application gives 1000 ms)"));
    CHECK(printedBatches(submit.out()).empty());
  }
  SECTION("the same window at 500 ms runs") {
    IntervalApp app(tmp, {"--batch-duration", "500ms"}, {"1000", "5", "10", "0", "3000", "1000"});
    REQUIRE(waitFor([&] { return printedBatches(app.child.out()).size() >= 3; }, 60s));
    int64_t previous = -1;
    for (const auto& [t, n] : printedBatches(app.child.out())) {  // a window every slide, not every batch
      if (previous >= 0) CHECK(t - previous == 1000);
      previous = t;
    }
  }
  SECTION("not a duration") {
    Child submit(submitArgv("local[2]", {"--batch-duration", "soon", libDir() + "/libinterval_app.so", "1000", "5",
                                         "10", "0"}),
                 tmp / "bad");
    requireExitCode(submit, 2, 60s);
    CHECK_THAT(submit.err(), Catch::Contains("--batch-duration must be a positive duration such as 250ms or 2s, "
                                             "not 'soon'"));
  }
}
