#include "common/logging.h"

#include <cstdlib>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace sluice {

void initLogging(const std::string& process_name, const std::string& level) {
  auto logger = spdlog::stderr_logger_mt(process_name + "-" + std::to_string(::getpid()));
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [" + process_name + "] %v");
  spdlog::set_default_logger(logger);
  std::string lvl = level;
  if (lvl.empty()) {
    const char* env = std::getenv("SLUICE_LOG_LEVEL");
    lvl = env ? env : "info";
  }
  spdlog::set_level(spdlog::level::from_str(lvl));
  spdlog::flush_on(spdlog::level::info);
}

}  // namespace sluice
