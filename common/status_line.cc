#include "common/status_line.h"

namespace sluice {

StatusLine& StatusLine::forStderr() {
  static StatusLine* line = new StatusLine(stderr);  // never destroyed: logging may run at exit
  return *line;
}

void StatusLine::eraseLocked() {
  if (shown_.empty()) return;
  std::string blank = "\r" + std::string(shown_.size(), ' ') + "\r";
  std::fwrite(blank.data(), 1, blank.size(), out_);
}

void StatusLine::show(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (text == shown_) return;
  if (text.empty()) {
    eraseLocked();
  } else {
    std::string draw = "\r" + text;
    if (shown_.size() > text.size()) draw.append(shown_.size() - text.size(), ' ');
    draw += '\r';
    std::fwrite(draw.data(), 1, draw.size(), out_);
  }
  shown_ = text;
  std::fflush(out_);
}

void StatusLine::writeAbove(std::string_view line) {
  std::lock_guard<std::mutex> lock(mu_);
  eraseLocked();
  std::fwrite(line.data(), 1, line.size(), out_);
  if (!shown_.empty()) {
    std::string draw = shown_ + "\r";
    std::fwrite(draw.data(), 1, draw.size(), out_);
  }
}

void StatusLine::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  std::fflush(out_);
}

std::string StatusLine::shown() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shown_;
}

}  // namespace sluice
