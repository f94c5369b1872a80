// readStreamingSettings: the defaults a StreamingContext runs with, each key read, and a
// bad streaming.receiver.replication kept as an error for receiverStream() to throw.
#include <catch2/catch.hpp>

#include "streaming/streaming_settings.h"

using namespace sluice;
using namespace std::chrono_literals;

TEST_CASE("streaming settings default to Spark's values, scaled by the batch interval", "[streaming]") {
  StreamingSettings s = readStreamingSettings(Conf(), Seconds(2));
  CHECK_FALSE(s.manual_clock);
  CHECK(s.concurrent_jobs == 1);
  CHECK(s.locality_wait_max == "400ms");  // 0.2 of the batch interval
  CHECK(s.checkpoint_dir.empty());
  CHECK(s.checkpoint_interval == 20s);  // 10 batch intervals
  CHECK(readStreamingSettings(Conf(), Milliseconds(100)).checkpoint_interval == 10s);  // at least 10 s
  CHECK(s.checkpoint_keep == 10);
  CHECK_FALSE(s.receiver_wal);
  CHECK_FALSE(s.receiver_replication.has_value());
  CHECK(s.receiver_replication_error.empty());
  CHECK(s.graceful_stop_timeout == 20s);
  CHECK_FALSE(s.stop_gracefully_on_shutdown);
}

TEST_CASE("streaming settings read every key they name", "[streaming]") {
  Conf conf;
  conf.set("streaming.clock", "manual")
      .set("streaming.concurrentJobs", "3")
      .set("streaming.locality.maxWaitFraction", "-1")
      .set("streaming.checkpoint.dir", "/tmp/cp")
      .set("streaming.checkpoint.interval", "5s")
      .set("streaming.checkpoint.keep", "4")
      .set("spark.streaming.receiver.writeAheadLog.enable", "true")
      .set("streaming.receiver.replication", "3")
      .set("streaming.gracefulStopTimeout", "7s")
      .set("streaming.stopGracefullyOnShutdown", "true");
  StreamingSettings s = readStreamingSettings(conf, Seconds(1));
  CHECK(s.manual_clock);
  CHECK(s.concurrent_jobs == 3);
  CHECK(s.locality_wait_max.empty());  // a negative fraction: no cap
  CHECK(s.checkpoint_dir == "/tmp/cp");
  CHECK(s.checkpoint_interval == 5s);
  CHECK(s.checkpoint_keep == 4);
  CHECK(s.receiver_wal);
  CHECK(s.receiver_replication == 3);
  CHECK(s.graceful_stop_timeout == 7s);
  CHECK(s.stop_gracefully_on_shutdown);
}

TEST_CASE("a bad value falls back to its default, a bad replication is kept as an error", "[streaming]") {
  Conf conf;
  conf.set("streaming.locality.maxWaitFraction", "lots").set("streaming.receiver.replication", "2x");
  StreamingSettings s = readStreamingSettings(conf, Seconds(1));
  CHECK(s.locality_wait_max == "200ms");
  CHECK_FALSE(s.receiver_replication.has_value());
  CHECK_THAT(s.receiver_replication_error, Catch::Contains("must be a positive integer") && Catch::Contains("'2x'"));
  conf.set("streaming.receiver.replication", "");
  CHECK_FALSE(readStreamingSettings(conf, Seconds(1)).receiver_replication_error.empty());
}

TEST_CASE("streaming.batchDuration overrides the interval in code, and a bad value is an error", "[streaming]") {
  auto in_code = resolveBatchInterval(Conf(), Seconds(1));
  REQUIRE(in_code);
  CHECK(in_code->effective == Seconds(1));
  CHECK_FALSE(in_code->from_conf);
  CHECK(in_code->describe() == "1000 ms");

  Conf conf;
  conf.set("spark.streaming.batchDuration", "250ms");
  auto overridden = resolveBatchInterval(conf, Seconds(1));
  REQUIRE(overridden);
  CHECK(overridden->effective == Milliseconds(250));
  CHECK(overridden->in_code == Seconds(1));
  CHECK(overridden->from_conf);
  CHECK(overridden->describe() == "250 ms (streaming.batchDuration; the application gives 1000 ms)");
  // The settings scaled by the interval follow the interval in effect.
  CHECK(readStreamingSettings(conf, overridden->effective).locality_wait_max == "50ms");

  for (const char* bad : {"fast", "0", "-5s", ""}) {
    conf.set("streaming.batchDuration", bad);
    auto refused = resolveBatchInterval(conf, Seconds(1));
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.status().message(), Catch::Contains("streaming.batchDuration must be a positive duration") &&
                                               Catch::Contains(std::string("'") + bad + "'"));
  }
  CHECK_FALSE(resolveBatchInterval(Conf(), Milliseconds(0)));
}
