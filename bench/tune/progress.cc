#include "bench/tune/progress.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

namespace sluice::tune {

std::string formatSeconds(int64_t s) {
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}

SweepProgress::SweepProgress(std::FILE* out, bool redraw, std::chrono::seconds guess_per_run)
    : out_(out), redraw_(redraw), guess_per_run_(guess_per_run) {}

void SweepProgress::setTotal(int runs) { total_ = runs; }

void SweepProgress::beginRun(int index, const std::string& run_id) {
  index_ = index;
  run_id_ = run_id;
  run_start_ = std::chrono::steady_clock::now();
  phase("starting");
}

void SweepProgress::phase(const std::string& what, int done_s, int total_s) {
  bool changed = what != phase_;
  phase_ = what;
  done_s_ = done_s;
  total_s_ = total_s;
  draw(changed);
}

void SweepProgress::endRun() {
  ++finished_;
  finished_time_ += std::chrono::steady_clock::now() - run_start_;
}

void SweepProgress::note(const std::string& line) {
  clearLine();
  std::fprintf(out_, "%s\n", line.c_str());
  if (redraw_ && drawn_) draw(false);
  std::fflush(out_);
}

void SweepProgress::finish() {
  clearLine();
  drawn_ = false;
  std::fflush(out_);
}

void SweepProgress::clearLine() {
  if (redraw_ && drawn_) std::fprintf(out_, "\r\033[K");
}

void SweepProgress::draw(bool phase_changed) {
  if (!redraw_ && !phase_changed) return;
  using namespace std::chrono;
  auto now = steady_clock::now();
  int64_t elapsed = duration_cast<seconds>(now - start_).count();
  double per_run = finished_ > 0 ? duration<double>(finished_time_).count() / finished_
                                 : static_cast<double>(guess_per_run_.count());
  double in_this = duration<double>(now - run_start_).count();
  double left = std::max(
      0.0, per_run * (total_ - finished_) - (index_ > finished_ ? std::min(in_this, per_run) : 0));
  constexpr int kWidth = 20;
  int filled = total_ > 0 ? std::min(kWidth, kWidth * finished_ / total_) : 0;
  std::string bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
  std::string what = total_s_ > 0 ? fmt::format("{} {}/{} s", phase_, done_s_, total_s_) : phase_;
  std::string line =
      fmt::format("{} run {}/{} {}: {} | {} elapsed, about {} left", bar, index_, total_, run_id_,
                  what, formatSeconds(elapsed), formatSeconds(static_cast<int64_t>(left)));
  clearLine();
  std::fprintf(out_, redraw_ ? "%s" : "%s\n", line.c_str());
  drawn_ = true;
  std::fflush(out_);
}

}  // namespace sluice::tune
