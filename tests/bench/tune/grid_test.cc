#include "bench/tune/grid.h"

#include <algorithm>
#include <catch2/catch.hpp>

namespace sluice::tune {
namespace {

StatusOr<ParsedCommandLine> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "sluice-tune");
  return parseTuneOptions(static_cast<int>(args.size()), args.data());
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("tune options: the app and its arguments follow the options, placeholders and all") {
  auto p = parse({"--intervals", "100ms,1s, 250", "--rates", "5000,20000", "--repeat", "2",
                  "--measure", "20s", "--master", "sluice://10.0.0.1:7077", "--conf",
                  "streaming.blockInterval=50ms", "--total-executor-cores", "4", "app.so",
                  "127.0.0.1", "9999", "{interval_ms}", "--not-an-option"});
  REQUIRE(p.isOk());
  const TuneOptions& o = p->options;
  CHECK(o.intervals_ms == std::vector<int64_t>{100, 1000, 250});
  CHECK(o.rates == std::vector<int64_t>{5000, 20000});
  CHECK(o.repeat == 2);
  CHECK(o.measure == std::chrono::seconds(20));
  CHECK(o.warmup == std::chrono::seconds(10));
  CHECK(o.app_path == "app.so");
  CHECK(o.app_args ==
        std::vector<std::string>{"127.0.0.1", "9999", "{interval_ms}", "--not-an-option"});
  CHECK(o.submit_flags == std::vector<std::string>{"--total-executor-cores", "4"});
}

TEST_CASE("tune options: bad values and keys sluice-tune sets itself are refused with a reason") {
  CHECK(parse({"--intervals", "100ms,soon", "app.so"}).status().message().find("--intervals") !=
        std::string::npos);
  CHECK(parse({"--rates", "100,-5", "app.so"}).status().message() ==
        "--rates: '-5' is not a positive number of records/s");
  CHECK(parse({"--repeat", "0", "app.so"}).status().message() == "--repeat must be at least 1");
  CHECK(parse({"--conf", "spark.streaming.batchDuration=1s", "app.so"})
            .status()
            .message()
            .find("sets it for each run") != std::string::npos);
  CHECK(parse({"--conf", "ui.enabled=false", "app.so"}).status().message().find("REST API") !=
        std::string::npos);
  CHECK(parse({"--intervals", "1s"}).status().message().find("no application library") !=
        std::string::npos);
  CHECK(parse({"--help"})->help);
}

TEST_CASE("tune grid: repeats outermost, then rates, then intervals in the order given") {
  TuneOptions o;
  o.intervals_ms = {500, 100};
  o.rates = {10, 20};
  o.repeat = 2;
  auto runs = firstAttempt(o);
  REQUIRE(runs.size() == 8);
  CHECK(runs[0].run_id == "i500ms-r10-n1");
  CHECK(runs[1].run_id == "i100ms-r10-n1");
  CHECK(runs[2].run_id == "i500ms-r20-n1");
  CHECK(runs[4].run_id == "i500ms-r10-n2");
  o.rates.clear();
  o.repeat = 1;
  auto unlimited = firstAttempt(o);
  REQUIRE(unlimited.size() == 2);
  CHECK(unlimited[0].run_id == "i500ms-unlimited-n1");
  CHECK(unlimited[0].rate == 0);
  auto again = remeasurement({{100, 10}}, 2, 2);
  REQUIRE(again.size() == 2);
  CHECK(again[1].run_id == "i100ms-r10-n2-a2");
  CHECK(again[1].attempt == 2);
}

TEST_CASE("tune grid: a run's command sets the interval and rate, and fills the placeholders") {
  TuneOptions o;
  o.master = "local[2]";
  o.confs = {"ui.port=4041", "streaming.blockInterval={interval_ms/3}"};
  o.submit_flags = {"--executor-cores", "2"};
  o.app_path = "/x/app.so";
  o.app_args = {"host", "{interval_ms}", "{interval}", "rate={rate}"};
  RunSpec spec{"i1000ms-r5000-n1", 1000, 5000, 1, 1};
  auto argv = submitCommand(o, "/bin/sluice-submit", spec);
  CHECK(argv == std::vector<std::string>{"/bin/sluice-submit",
                                         "--master",
                                         "local[2]",
                                         "--executor-cores",
                                         "2",
                                         "--conf",
                                         "ui.port=0",
                                         "--conf",
                                         "ui.port=4041",
                                         "--conf",
                                         "streaming.blockInterval=333",
                                         "--conf",
                                         "streaming.batchDuration=1s",
                                         "--conf",
                                         "streaming.receiver.maxRate=5000",
                                         "/x/app.so",
                                         "host",
                                         "1000",
                                         "1s",
                                         "rate=5000"});
  RunSpec unlimited{"i250ms-unlimited-n1", 250, 0, 1, 1};
  auto plain = submitCommand(o, "/bin/sluice-submit", unlimited);
  CHECK(contains(plain, "streaming.batchDuration=250ms"));
  CHECK(contains(plain, "streaming.blockInterval=83"));
  RunSpec tiny{"i2ms-unlimited-n1", 2, 0, 1, 1};
  CHECK(substitutePlaceholders({"{interval_ms/3}{interval_ms/3}", "{interval}"}, tiny) ==
        std::vector<std::string>{"11", "2ms"});
  CHECK_FALSE(std::any_of(plain.begin(), plain.end(), [](const std::string& a) {
    return a.find("maxRate") != std::string::npos;
  }));
}

}  // namespace sluice::tune

namespace sluice::tune {

TEST_CASE("tune options: with auth.enabled in --conf, the secret is found for the driver's REST API, or refused") {
  auto none = parse({"app.so"});
  REQUIRE(none.isOk());
  CHECK(!none->options.ui_secret.has_value());
  auto given = parse({"--conf", "auth.enabled=true", "--conf", "auth.secret=tune-secret-0123456789", "app.so"});
  REQUIRE(given.isOk());
  CHECK(given->options.ui_secret == std::optional<std::string>("tune-secret-0123456789"));
  auto missing = parse({"--conf", "auth.enabled=true", "--conf", "auth.secretFile=/no/such/file", "app.so"});
  REQUIRE(!missing.isOk());
  CHECK(missing.status().message().find("/no/such/file") != std::string::npos);
}

}  // namespace sluice::tune
