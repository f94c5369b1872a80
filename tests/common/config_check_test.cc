// Checking a configuration at start (common/config_check.h): every type and range, unknown
// keys, Spark keys Sluice does not implement, job properties, and the --help-conf text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/config_check.h"
#include "common/config_keys.h"

using namespace sluice;

namespace {

Status check(const std::string& key, const std::string& value) {
  Conf conf;
  conf.set(key, value);
  return keys::validate(conf);
}

bool accepted(const std::string& key, const std::string& value) { return check(key, value).isOk(); }

}  // namespace

TEST_CASE("config check: an empty configuration and every declared default are valid", "[common][config-check]") {
  CHECK(keys::validate(Conf()).isOk());
  CHECK(keys::warnings(Conf()).empty());
  for (const KeyInfo& key : keys::all()) {
    if (key.run_dependent) continue;
    INFO(key.name << "=" << key.default_text);
    CHECK(keys::checkValue(key, key.default_text).isOk());
  }
}

TEST_CASE("config check: every key but a bool declares the values it accepts", "[common][config-check]") {
  for (const KeyInfo& key : keys::all()) {
    INFO(key.name);
    if (key.type != KeyType::kBool) CHECK(key.range.declared);
    if (key.range.choices) CHECK(key.type == KeyType::kString);
  }
}

TEST_CASE("config check: durations", "[common][config-check]") {
  CHECK(accepted("streaming.blockInterval", "200ms"));
  CHECK(accepted("streaming.blockInterval", "1"));  // a bare number is milliseconds
  CHECK(accepted("spark.streaming.blockInterval", "2s"));
  for (const char* bad : {"0", "0ms", "-5", "abc", "5 parsecs", "", "inf"}) {
    INFO(bad);
    Status st = check("streaming.blockInterval", bad);
    REQUIRE_FALSE(st.isOk());
    CHECK(st.message() == std::string("config streaming.blockInterval='") + bad +
                              "' is invalid: expected a duration > 0, such as 250ms, 3s, 2min or 1h (a bare "
                              "number is ms)");
  }
  CHECK(accepted("locality.wait", "0"));  // >= 0
  CHECK_FALSE(accepted("cleaner.referenceTracking.interval", "5ms"));
  CHECK_THAT(check("cleaner.referenceTracking.interval", "5ms").message(), Catch::Contains("a duration >= 10ms"));
  CHECK(accepted("cleaner.referenceTracking.interval", "10ms"));
}

TEST_CASE("config check: integers", "[common][config-check]") {
  CHECK(accepted("task.maxFailures", "1"));
  CHECK_FALSE(accepted("task.maxFailures", "0"));
  CHECK(check("task.maxFailures", "-3").message() ==
        "config task.maxFailures='-3' is invalid: expected an integer >= 1");
  CHECK_FALSE(accepted("task.maxFailures", "many"));
  CHECK_FALSE(accepted("task.maxFailures", "4x"));
  CHECK_FALSE(accepted("task.maxFailures", "2.5"));
  CHECK(accepted("deploy.maxExecutorRetries", "-1"));  // < 0: never
  CHECK(accepted("ui.port", "0"));
  CHECK(accepted("ui.port", "65535"));
  CHECK(check("ui.port", "65536").message() ==
        "config ui.port='65536' is invalid: expected an integer between 0 and 65535");
  CHECK_FALSE(accepted("driver.port", "-1"));
}

TEST_CASE("config check: numbers and fractions", "[common][config-check]") {
  CHECK(accepted("speculation.quantile", "1"));
  CHECK(accepted("speculation.quantile", "0.5"));
  CHECK_FALSE(accepted("speculation.quantile", "0"));
  CHECK(check("speculation.quantile", "1.5").message() ==
        "config speculation.quantile='1.5' is invalid: expected a number in (0, 1]");
  CHECK_FALSE(accepted("speculation.quantile", "most"));
  CHECK_FALSE(accepted("speculation.quantile", "nan"));
  CHECK_FALSE(accepted("streaming.backpressure.pid.minRate", "0"));
  CHECK(accepted("streaming.backpressure.pid.derived", "0"));
  CHECK_FALSE(accepted("streaming.backpressure.pid.integral", "-0.1"));
  CHECK(accepted("streaming.locality.maxWaitFraction", "-1"));  // < 0: none
}

TEST_CASE("config check: sizes", "[common][config-check]") {
  CHECK(accepted("executor.memory", "512m"));
  CHECK(accepted("shuffle.memoryLimit", "0"));
  CHECK_FALSE(accepted("executor.memory", "lots"));
  CHECK_FALSE(accepted("executor.memory", "1k"));  // at least 1m
  CHECK(accepted("rpc.maxFrameBytes", "16m"));
  CHECK(check("rpc.maxFrameBytes", "1m").message() ==
        "config rpc.maxFrameBytes='1m' is invalid: expected a size between 16m and 4g, such as 512k, 64m or 2g (a "
        "bare number is bytes)");
}

TEST_CASE("config check: booleans", "[common][config-check]") {
  for (const char* good : {"true", "false", "TRUE", "False", "yes", "no", "1", "0"}) {
    INFO(good);
    CHECK(accepted("speculation", good));
  }
  CHECK(check("speculation", "maybe").message() == "config speculation='maybe' is invalid: expected true or false");
  Conf conf;
  conf.set("speculation", "TRUE");
  CHECK(conf.get(keys::kSpeculation));  // read as the check accepts it
}

TEST_CASE("config check: strings from a list, and free strings", "[common][config-check]") {
  CHECK(accepted("scheduler.mode", "FAIR"));
  CHECK(accepted("scheduler.mode", "fifo"));  // the scheduler reads it in any case
  CHECK(check("scheduler.mode", "ROUNDROBIN").message() ==
        "config scheduler.mode='ROUNDROBIN' is invalid: expected one of FIFO, FAIR (in any case)");
  CHECK(accepted("wal.fsync", "none"));
  CHECK_FALSE(accepted("wal.fsync", "NONE"));  // WalOptions reads it exactly
  CHECK(accepted("streaming.clock", "manual"));
  CHECK_FALSE(accepted("streaming.clock", "wall"));
  CHECK(accepted("log.batches.level", "off"));
  CHECK_FALSE(accepted("log.batches.level", "loud"));
  CHECK(accepted("app.name", "anything at all"));
  CHECK(accepted("streaming.checkpoint.dir", ""));
}

TEST_CASE("config check: the first bad value in the keys' order fails the whole conf", "[common][config-check]") {
  Conf conf;
  conf.set("task.maxFailures", "3");
  conf.set("streaming.blockInterval", "0");
  conf.set("executor.cores", "none");
  Status st = keys::validate(conf);
  REQUIRE_FALSE(st.isOk());
  CHECK(st.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(st.message(), Catch::StartsWith("config executor.cores='none'"));  // declared before blockInterval
  CHECK(st.message().find('\n') == std::string::npos);
}

TEST_CASE("config check: unknown keys and Spark keys Sluice does not implement warn once each",
          "[common][config-check]") {
  Conf conf;
  conf.set("spark.foo.bar", "1");
  conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
  conf.set("spark.sql.shuffle.partitions", "10");
  conf.set("spark.dynamicAllocation.enabled", "true");
  conf.set("spark.streaming.kafka.maxRatePerPartition", "100");  // implemented: no warning
  conf.set("spark.executor.extraJavaOptions", "-Xmx1g");
  conf.set("streaming.blockIntervall", "100ms");  // a typo
  std::vector<std::string> lines = keys::warnings(conf);
  CHECK(lines == std::vector<std::string>{
                     "config spark.dynamicAllocation.enabled is a Spark setting that Sluice does not implement; "
                     "ignored",
                     "config spark.executor.extraJavaOptions is a Spark setting that Sluice does not implement; "
                     "ignored",
                     "unknown config key 'foo.bar' (a leading spark. or sluice. is dropped); ignored "
                     "(sluice-submit --help-conf lists the keys)",
                     "config spark.serializer is a Spark setting that Sluice does not implement; ignored",
                     "config spark.sql.shuffle.partitions is a Spark setting that Sluice does not implement; ignored",
                     "unknown config key 'streaming.blockIntervall' (a leading spark. or sluice. is dropped); ignored "
                     "(sluice-submit --help-conf lists the keys)",
                 });
  CHECK(keys::validate(conf).isOk());  // warnings, not errors
}

TEST_CASE("config check: declared keys and job properties do not warn", "[common][config-check]") {
  Conf conf;
  for (const KeyInfo& key : keys::all()) conf.set(key.name, "x");
  // Declared keys under a family that is otherwise Spark-only are still Sluice's own.
  conf.set("excludeOnFailure.enabled", "true");
  for (const char* property :
       {"scheduler.pool", "job.group", "scheduler.locality.waitMax", "scheduler.longRunning", "job.logQuietly"}) {
    conf.set(property, "x");
  }
  CHECK(keys::warnings(conf).empty());
}

TEST_CASE("config check: --help-conf lists every key with its values, default and meaning", "[common][config-check]") {
  std::string text = keys::describeAll();
  for (const KeyInfo& key : keys::all()) {
    INFO(key.name);
    std::string block = "  " + std::string(key.name) + " (" + keyTypeName(key.type) + ")\n      values:  " +
                        keys::expectedForm(key) + "\n";
    CHECK_THAT(text, Catch::Contains(block));
    CHECK_THAT(text, Catch::Contains(key.meaning));
  }
  CHECK_THAT(text, Catch::Contains("  task.maxFailures (int)\n      values:  an integer >= 1\n      default: 4\n"));
  CHECK_THAT(text, Catch::Contains("  scheduler.mode (string)\n      values:  one of FIFO, FAIR (in any case)\n"
                                   "      default: FIFO\n"));
}
