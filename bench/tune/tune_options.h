// sluice-tune's command line: the sweep's grid and periods, the stability criteria, where
// the files go, and the application as sluice-submit would run it (the app library, its
// arguments, --master, --conf and the other sluice-submit flags passed through).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/tune/stability.h"
#include "common/status.h"

namespace sluice::tune {

struct TuneOptions {
  // The application. app_args and the values of confs may hold placeholders, replaced
  // per run (grid.h substitutePlaceholders).
  std::string app_path;
  std::vector<std::string> app_args;
  std::string master = "local[2]";
  std::vector<std::string> confs;         // key=value, as sluice-submit's --conf
  // When confs turn auth.enabled on: the cluster secret, with which sluice-tune asks the
  // driver's REST API as the user `sluice` (common/auth_secret.h finds it).
  std::optional<std::string> ui_secret;
  std::vector<std::string> submit_flags;  // other sluice-submit flags and their values, in order

  // The grid, in the order given.
  std::vector<int64_t> intervals_ms{100, 250, 500, 1000};
  std::vector<int64_t> rates;  // empty: one unlimited rate (nothing set)
  int repeat = 1;

  std::chrono::milliseconds warmup{10000};
  std::chrono::milliseconds measure{30000};
  std::chrono::milliseconds start_timeout{120000};  // launch to the first completed batch
  std::chrono::milliseconds stop_timeout{30000};    // SIGTERM to SIGKILL
  StabilityCriteria criteria;
  bool remeasure = true;

  std::string out_dir = "sluice-tune-out";
  std::string submit_path;  // "" finds sluice-submit (common/process.h findSluiceBinary)
  std::string gnuplot = "gnuplot";
  bool plots = true;
  std::string command_line;  // as typed, for the report
};

// What parseTuneOptions found: options to run with, or the help text to print.
struct ParsedCommandLine {
  TuneOptions options;
  bool help = false;
  std::string help_text;
};

// Parses argv. Options end at the first argument that is neither an option nor an
// option's value: that is the application library, and the rest are its arguments.
// InvalidArgument with a message for the user on a bad flag or value.
StatusOr<ParsedCommandLine> parseTuneOptions(int argc, const char* const* argv);

// "100ms,250ms,1s" (a bare number is milliseconds) and "50000,100000" (positive integers).
StatusOr<std::vector<int64_t>> parseIntervalList(const std::string& text);
StatusOr<std::vector<int64_t>> parseRateList(const std::string& text);

}  // namespace sluice::tune
