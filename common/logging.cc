#include "common/logging.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <mutex>

#include <spdlog/sinks/base_sink.h>

#include "common/status_line.h"

namespace sluice {
namespace {

// Every log line of the process goes to stderr through the StatusLine, above the console
// progress bar when one is shown.
class StatusLineSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit StatusLineSink(StatusLine& line) : line_(line) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    line_.writeAbove(std::string_view(formatted.data(), formatted.size()));
  }
  void flush_() override { line_.flush(); }

 private:
  StatusLine& line_;
};

// spdlog::level::from_str answers "off" for a name it does not know; this refuses it.
StatusOr<spdlog::level::level_enum> parseLevel(const std::string& name) {
  static constexpr std::array<const char*, 8> kNames = {"trace", "debug", "info", "warn",
                                                        "warning", "error", "critical", "off"};
  for (const char* known : kNames) {
    if (name == known) return spdlog::level::from_str(name == "warning" ? "warn" : name);
  }
  return Status::invalidArgument("unknown log level '" + name +
                                 "' (expected trace, debug, info, warn, error, critical or off)");
}

}  // namespace

void initLogging(const std::string& process_name, const std::string& level) {
  auto sink = std::make_shared<StatusLineSink>(StatusLine::forStderr());
  auto logger = std::make_shared<spdlog::logger>(process_name + "-" + std::to_string(::getpid()), sink);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [" + process_name + "] %v");
  spdlog::set_default_logger(logger);
  std::string lvl = level;
  if (lvl.empty()) {
    const char* env = std::getenv("SLUICE_LOG_LEVEL");
    lvl = env ? env : "info";
  }
  auto parsed = parseLevel(lvl);
  spdlog::set_level(parsed ? *parsed : spdlog::level::info);
  if (!parsed) spdlog::warn("{}; logging at info", parsed.status().message());

  // After set_level, which sets every registered logger's level.
  spdlog::drop(kBatchesLogger);
  auto batches = std::make_shared<spdlog::logger>(kBatchesLogger, sink);  // the sink keeps the pattern above
  batches->set_level(spdlog::level::info);
  spdlog::register_logger(batches);
  spdlog::flush_on(spdlog::level::info);
}

std::shared_ptr<spdlog::logger> batchLog() {
  auto logger = spdlog::get(kBatchesLogger);
  return logger ? logger : spdlog::default_logger();
}

Status setLoggerLevel(const std::string& logger, const std::string& level) {
  auto parsed = parseLevel(level);
  if (!parsed) return parsed.status();
  auto target = spdlog::get(logger);
  if (!target) return Status::invalidArgument("no logger named '" + logger + "'");
  target->set_level(*parsed);
  return Status::ok();
}

}  // namespace sluice
