// The loggers of initLogging: "batches" keeps its own level when --log-level quiets the
// default logger, and setLoggerLevel refuses unknown names.
#include "common/logging.h"

#include <catch2/catch.hpp>

namespace sluice {
namespace {

TEST_CASE("logging: the batches logger keeps its level when the default one is quieted", "[common]") {
  initLogging("test", "warn");
  CHECK_FALSE(spdlog::default_logger()->should_log(spdlog::level::info));
  REQUIRE(batchLog()->name() == kBatchesLogger);
  CHECK(batchLog()->should_log(spdlog::level::info));
  REQUIRE(setLoggerLevel(kBatchesLogger, "warn").isOk());
  CHECK_FALSE(batchLog()->should_log(spdlog::level::info));
  REQUIRE(setLoggerLevel(kBatchesLogger, "off").isOk());
  CHECK_FALSE(batchLog()->should_log(spdlog::level::critical));

  Status bad = setLoggerLevel(kBatchesLogger, "loud");
  CHECK(bad.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(bad.message(), Catch::Contains("unknown log level 'loud'"));
  CHECK_FALSE(setLoggerLevel("no-such-logger", "info").isOk());
  initLogging("test", "info");
  CHECK(batchLog()->should_log(spdlog::level::info));
}

}  // namespace
}  // namespace sluice
