// LogCapture: while alive, spdlog's default logger writes to memory, so that a test can
// assert what was logged and at which level.
//
// THREADING: create it before, and destroy it after, any thread that logs through the
// default logger (spdlog swaps the default logger without synchronising with loggers in
// flight); the lines may be read at any time.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <vector>

namespace sluice::testing {

class LogCapture {
 public:
  // Keeps the last `lines` messages, at info and above.
  explicit LogCapture(size_t lines = 512)
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(lines)), previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink_));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // The messages (without time or level) logged at level that contain text, oldest first.
  std::vector<std::string> at(spdlog::level::level_enum level, const std::string& text = "") const {
    std::vector<std::string> out;
    for (const auto& msg : sink_->last_raw()) {
      std::string payload(msg.payload.data(), msg.payload.size());
      if (msg.level == level && payload.find(text) != std::string::npos) out.push_back(std::move(payload));
    }
    return out;
  }
  // The messages at any level that contain text, oldest first.
  std::vector<std::string> withText(const std::string& text) const {
    std::vector<std::string> out;
    for (const auto& msg : sink_->last_raw()) {
      std::string payload(msg.payload.data(), msg.payload.size());
      if (payload.find(text) != std::string::npos) out.push_back(std::move(payload));
    }
    return out;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace sluice::testing
