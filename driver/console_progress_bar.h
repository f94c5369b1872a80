// ConsoleProgressBar: Spark's console progress bar (ui.showConsoleProgress). Every
// update_ms it asks for the running stages and shows those that have run for first_delay_ms
// (at most three, side by side) on the terminal's status line (common/status_line.h), above
// which log lines scroll:
//
//   [Stage 1:=========>                (3 + 2) / 10][Stage 2:>               (0 + 1) / 4]
//
// (completed + running) / tasks of each stage attempt. The line is cleared once no stage
// runs, and at once when a job ends (finishAll, before the application sees its result);
// it is redrawn only when it changed, or after a minute (so that an idle ssh session stays
// alive).
//
// THREADING: refresh() and finishAll() may be called from any thread (one mutex); the
// refresh thread calls source on its own. The source, the line and the clock must outlive
// the bar.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/conf.h"
#include "common/status_line.h"
#include "scheduler/stage_progress.h"

namespace sluice {

// The bar of stages (the first three), each given an equal share of width columns:
// "[Stage <id>:" then a bar of '=' for the completed share, '>' at its head and spaces,
// then "(<completed> + <running>) / <tasks>]". A share too narrow for a bar shows header
// and counts only. "" for no stages.
std::string formatProgressBar(const std::vector<StageProgress>& stages, int width);

// Whether a driver shows the bar: ui.showConsoleProgress, whose default is true when
// stderr is a terminal and the default logger is quieter than info (Spark's rule).
bool showConsoleProgress(const Conf& conf);

// The terminal's width: stderr's window size, else $COLUMNS, else 80.
int terminalWidth();

class ConsoleProgressBar {
 public:
  using Source = std::function<std::vector<StageProgress>()>;
  struct Options {
    int width = 80;
    int64_t update_ms = 200;       // Spark's spark.ui.consoleProgress.update.interval
    int64_t first_delay_ms = 500;  // a stage shows once it has run this long
  };

  ConsoleProgressBar(Source source, StatusLine& line, Clock& clock, Options options);
  ~ConsoleProgressBar();  // stop()
  ConsoleProgressBar(const ConsoleProgressBar&) = delete;
  ConsoleProgressBar& operator=(const ConsoleProgressBar&) = delete;

  // Starts the thread that calls refresh() every update_ms.
  void start();
  // Stops that thread and clears the line. Idempotent.
  void stop();

  // Shows the stages that ran first_delay_ms or longer, or clears the line when none did.
  void refresh();
  // A job ended: clears the line; nothing is shown for first_delay_ms.
  void finishAll();

 private:
  Source source_;
  StatusLine& line_;
  Clock& clock_;
  Options options_;

  std::mutex mu_;
  std::map<std::pair<int, int>, int64_t> first_seen_ms_;  // (stage, attempt) -> when refresh first saw it
  int64_t last_finish_ms_ = -1;
  int64_t last_draw_ms_ = -1;
  std::jthread thread_;
};

}  // namespace sluice
