// Process-wide logging setup through spdlog.
#pragma once

#include <string>

namespace sluice {

// Sets the default spdlog logger's name and level ("trace", "debug", "info", "warn",
// "error"); the level falls back to $SLUICE_LOG_LEVEL, then "info". Logs go to stderr.
void initLogging(const std::string& process_name, const std::string& level = "");

}  // namespace sluice
