// The sweep's progress on stderr: a bar with the run k of n, what the run is doing, the
// time elapsed and an estimate of the time left, e.g.
//   [#######.............] run 3/8 i250ms-r50000-n1: measuring 12/30 s | 2m05s elapsed, about 5m40s
//   left
// On a terminal the line is redrawn in place; otherwise (a log file) one line is written
// per phase. The estimate is the mean duration of the finished runs (before the first,
// the given guess) times the runs left.
// THREADING: one thread.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace sluice::tune {

class SweepProgress {
 public:
  // out: where to draw (stderr); redraw: a terminal; guess_per_run: the first estimate.
  SweepProgress(std::FILE* out, bool redraw, std::chrono::seconds guess_per_run);

  // The number of runs; it may grow (a re-measurement adds runs).
  void setTotal(int runs);
  // Run number `index` (1-based) starts.
  void beginRun(int index, const std::string& run_id);
  // What the current run does; with total_s > 0, how far it is ("12/30 s").
  void phase(const std::string& what, int done_s = 0, int total_s = 0);
  void endRun();
  // A line of its own (a run's verdict, a warning), above the bar.
  void note(const std::string& line);
  // Clears the bar (before the verdicts go to stdout).
  void finish();

 private:
  void draw(bool phase_changed);
  void clearLine();

  std::FILE* out_;
  bool redraw_;
  std::chrono::seconds guess_per_run_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point run_start_ = start_;
  std::chrono::steady_clock::duration finished_time_{};
  int total_ = 0, index_ = 0, finished_ = 0;
  std::string run_id_, phase_;
  int done_s_ = 0, total_s_ = 0;
  bool drawn_ = false;
};

// "5m40s", "1h02m", "12s".
std::string formatSeconds(int64_t seconds);

}  // namespace sluice::tune
