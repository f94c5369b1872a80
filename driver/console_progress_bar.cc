#include "driver/console_progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"

namespace sluice {
namespace {

constexpr size_t kMaxStagesShown = 3;       // as Spark
constexpr int64_t kKeepAliveRedrawMs = 60'000;

}  // namespace

std::string formatProgressBar(const std::vector<StageProgress>& stages, int width) {
  if (stages.empty()) return "";
  size_t shown = std::min(stages.size(), kMaxStagesShown);
  int share = width / static_cast<int>(shown);
  std::string out;
  for (size_t i = 0; i < shown; ++i) {
    const StageProgress& s = stages[i];
    std::string header = "[Stage " + std::to_string(s.stage_id) + ":";
    std::string tail = "(" + std::to_string(s.num_completed) + " + " + std::to_string(s.num_active) + ") / " +
                       std::to_string(s.num_tasks) + "]";
    int room = share - static_cast<int>(header.size() + tail.size());
    std::string bar;
    if (room > 0 && s.num_tasks > 0) {
      int done = static_cast<int>(static_cast<int64_t>(room) * std::clamp(s.num_completed, 0, s.num_tasks) /
                                  s.num_tasks);
      bar.assign(room, ' ');
      std::fill(bar.begin(), bar.begin() + done, '=');
      if (done < room) bar[done] = '>';
    }
    out += header + bar + tail;
  }
  return out;
}

bool showConsoleProgress(const Conf& conf) {
  bool quiet = !spdlog::default_logger_raw()->should_log(spdlog::level::info);
  return conf.get(keys::kUiShowConsoleProgress, ::isatty(STDERR_FILENO) == 1 && quiet);
}

int terminalWidth() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    int n = std::atoi(columns);
    if (n > 0) return n;
  }
  return 80;
}

ConsoleProgressBar::ConsoleProgressBar(Source source, StatusLine& line, Clock& clock, Options options)
    : source_(std::move(source)), line_(line), clock_(clock), options_(options) {}

ConsoleProgressBar::~ConsoleProgressBar() { stop(); }

void ConsoleProgressBar::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    int64_t next = clock_.nowMs() + options_.update_ms;
    while (clock_.waitUntil(next, stop)) {
      refresh();
      next += options_.update_ms;
    }
  });
}

void ConsoleProgressBar::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  line_.clear();
}

void ConsoleProgressBar::refresh() {
  std::vector<StageProgress> running = source_();
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = clock_.nowMs();
  std::map<std::pair<int, int>, int64_t> seen;
  std::vector<StageProgress> shown;
  for (const StageProgress& s : running) {
    auto key = std::make_pair(s.stage_id, s.attempt);
    auto it = first_seen_ms_.find(key);
    int64_t since = it == first_seen_ms_.end() ? now : it->second;
    seen[key] = since;
    if (now - since >= options_.first_delay_ms) shown.push_back(s);
  }
  first_seen_ms_ = std::move(seen);  // forget the stages that ended
  if (last_finish_ms_ >= 0 && now - last_finish_ms_ < options_.first_delay_ms) shown.clear();
  std::string bar = formatProgressBar(shown, options_.width);
  if (bar.empty()) {
    line_.clear();
    return;
  }
  if (bar == line_.shown() && now - last_draw_ms_ < kKeepAliveRedrawMs) return;
  if (bar == line_.shown()) line_.clear();  // so that show() writes it again
  line_.show(bar);
  last_draw_ms_ = now;
}

void ConsoleProgressBar::finishAll() {
  std::lock_guard<std::mutex> lock(mu_);
  line_.clear();
  last_finish_ms_ = clock_.nowMs();
}

}  // namespace sluice
