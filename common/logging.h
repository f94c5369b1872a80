// Process-wide logging setup through spdlog.
//
// Two loggers write to stderr through one sink (which keeps log lines above the console
// progress bar, common/status_line.h): the default logger, whose level is --log-level, and
// "batches", the streaming driver's one line per batch, whose level is its own
// (`log.batches.level`, default info) so that the batch line stays visible when
// --log-level warn quiets the rest.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "common/status.h"

namespace sluice {

// The name of the per-batch line's logger.
inline constexpr const char* kBatchesLogger = "batches";

// Sets up the default logger (name and level: "trace", "debug", "info", "warn", "error",
// "critical", "off"; an empty level falls back to $SLUICE_LOG_LEVEL, then "info") and the
// "batches" logger (level info). Logs go to stderr. Call once, before starting threads.
void initLogging(const std::string& process_name, const std::string& level = "");

// The "batches" logger; the default logger when initLogging() has not run (unit tests).
std::shared_ptr<spdlog::logger> batchLog();

// Sets the level of the named logger (kBatchesLogger). InvalidArgument for an unknown
// level name or a logger initLogging() did not make.
Status setLoggerLevel(const std::string& logger, const std::string& level);

}  // namespace sluice
