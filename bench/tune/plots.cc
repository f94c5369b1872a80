#include "bench/tune/plots.h"

#include <signal.h>
#include <spdlog/fmt/fmt.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "common/process.h"

namespace sluice::tune {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTerminal =
    "set terminal pngcairo size 960,600 noenhanced font \"sans,10\"\n";

// gnuplot's path: as given when it has a '/', else the first match on $PATH.
std::string resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string p = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return program;
}

// Runs gnuplot with args in dir, its output appended to log; a deadline of 60 s.
Status runGnuplot(const std::string& gnuplot, const std::vector<std::string>& args,
                  const std::string& dir, const std::string& log) {
  SpawnOptions opts;
  opts.argv = {resolve(gnuplot)};
  opts.argv.insert(opts.argv.end(), args.begin(), args.end());
  opts.work_dir = dir;
  opts.stdout_path = opts.stderr_path = log;
  auto pid = spawnProcess(opts);
  if (!pid) return pid.status();
  for (int i = 0; i < 600; ++i) {
    if (auto e = pollExit(*pid)) {
      if (e->exit_code == 0) return Status::ok();
      return Status::internal(gnuplot + " " + e->describe());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(*pid, SIGKILL);
  waitExit(*pid);
  return Status::timeout(gnuplot + " did not finish within 60 s");
}

// A gnuplot double-quoted string.
std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return q + "\"";
}

// A delay for a log-scale axis: NaN (skipped by gnuplot) when unknown or zero.
std::string positiveOrNaN(double v) { return v > 0 ? fmt::format("{:.1f}", v) : "NaN"; }

// Writes name.dat and name.gp into dir and runs the script; returns "plots/name.png".
StatusOr<std::string> draw(const std::string& gnuplot, const std::string& out_dir,
                           const std::string& name, const std::string& data,
                           const std::string& script) {
  std::string dir = out_dir + "/plots";
  std::ofstream(dir + "/" + name + ".dat", std::ios::trunc) << data;
  std::ofstream(dir + "/" + name + ".gp", std::ios::trunc)
      << kTerminal << "set output " << quoted(name + ".png") << "\n"
      << script;
  SLUICE_RETURN_IF_ERROR(runGnuplot(gnuplot, {name + ".gp"}, dir, dir + "/gnuplot.log"));
  std::error_code ec;
  if (fs::file_size(dir + "/" + name + ".png", ec) == 0 || ec)
    return Status::internal(name + ".png is empty or missing (see plots/gnuplot.log)");
  return "plots/" + name + ".png";
}

// Key entries for the markers: with `pt variable` the key shows a point-less line.
constexpr const char* kMarkerKey =
    ", \\\n  NaN with points pt 7 ps 1.5 lc rgb \"black\" title \"stable\""
    ", \\\n  NaN with points pt 6 ps 1.5 lc rgb \"black\" title \"not stable\"";

std::string xtics(const std::vector<int64_t>& values) {
  std::string t = "set xtics (";
  for (size_t i = 0; i < values.size(); ++i) t += (i ? ", " : "") + std::to_string(values[i]);
  return t + ")\n";
}

StatusOr<std::string> delayVsInterval(const std::string& gnuplot, const std::string& out_dir,
                                      const std::vector<PointSummary>& points) {
  std::map<int64_t, std::vector<const PointSummary*>> by_rate;
  std::vector<int64_t> intervals;
  for (const auto& p : points) {
    by_rate[p.key.rate].push_back(&p);
    intervals.push_back(p.key.interval_ms);
  }
  std::sort(intervals.begin(), intervals.end());
  intervals.erase(std::unique(intervals.begin(), intervals.end()), intervals.end());
  // The y range from the data and the line delay = interval, not gnuplot's whole decades.
  double low = static_cast<double>(intervals.front()) / 1.4;
  double high = static_cast<double>(intervals.back()) * 1.4;
  for (const auto& p : points) {
    if (p.p50_total_delay_ms > 0) low = std::min(low, static_cast<double>(p.p50_total_delay_ms));
    high = std::max(high, static_cast<double>(p.p99_total_delay_ms));
  }
  std::string data, plot = "plot x title \"total delay = interval\" lc rgb \"gray40\" dt 3 lw 2";
  int index = 0;
  for (const auto& [rate, row] : by_rate) {
    data += "# rate " + std::to_string(rate) +
            ": interval_ms p50_total_delay_ms p99_total_delay_ms stable\n";
    for (const auto* p : row)
      data +=
          fmt::format("{} {} {} {}\n", p->key.interval_ms,
                      positiveOrNaN(static_cast<double>(p->p50_total_delay_ms)),
                      positiveOrNaN(static_cast<double>(p->p99_total_delay_ms)), p->stable ? 1 : 0);
    data += "\n\n";
    std::string label = rate > 0 ? fmt::format(", {} records/s", rate) : "";
    int color = index + 1;
    plot += fmt::format(
        ", \\\n  \"delay_vs_interval.dat\" index {0} using 1:3:($4 > 0 ? 7 : 6) with linespoints "
        "pt "
        "variable ps 1.5 "
        "lc {1} lw 2 title \"p99 (worst run){2}\""
        ", \\\n  \"delay_vs_interval.dat\" index {0} using 1:2:($4 > 0 ? 7 : 6) with linespoints "
        "pt "
        "variable ps 1.5 "
        "lc {1} dt 2 title \"p50 (median run){2}\"",
        index, color, label);
    ++index;
  }
  std::string script =
      "set title \"Total delay against batch interval (p99 solid, p50 dashed; stable points "
      "filled)\"\n"
      "set xlabel \"batch interval (ms)\"\nset ylabel \"total delay (ms)\"\n"
      "set logscale xy\nset grid\nset key left top\n" +
      fmt::format("set xrange [{}:{}]\nset yrange [{}:{}]\n",
                  static_cast<double>(intervals.front()) / 1.4,
                  static_cast<double>(intervals.back()) * 1.4, low / 1.5, high * 1.5) +
      xtics(intervals) + plot + kMarkerKey + "\n";
  return draw(gnuplot, out_dir, "delay_vs_interval", data, script);
}

StatusOr<std::string> sustainedVsOffered(const std::string& gnuplot, const std::string& out_dir,
                                         const std::vector<PointSummary>& points) {
  std::map<int64_t, std::vector<const PointSummary*>> by_interval;
  double highest = 0;
  for (const auto& p : points) {
    if (p.key.rate <= 0) continue;
    by_interval[p.key.interval_ms].push_back(&p);
    highest = std::max({highest, p.offered_per_s, p.processed_per_s});
  }
  std::string data, plot = "plot x title \"processed = offered\" lc rgb \"gray40\" dt 3 lw 2";
  int index = 0;
  for (const auto& [interval, column] : by_interval) {
    data += "# interval " + std::to_string(interval) +
            " ms: offered_records_per_s processed_records_per_s stable\n";
    for (const auto* p : column)
      data += fmt::format("{:.0f} {:.0f} {}\n", p->offered_per_s, p->processed_per_s,
                          p->stable ? 1 : 0);
    data += "\n\n";
    plot += fmt::format(
        ", \\\n  \"sustained_vs_offered.dat\" index {} using 1:2:($3 > 0 ? 7 : 6) with linespoints "
        "pt "
        "variable ps 1.5 "
        "lc {} lw 2 title \"{} ms\"",
        index, index + 1, interval);
    ++index;
  }
  std::string script =
      "set title \"Records/s processed against offered, one line per batch interval (stable "
      "points filled)\"\n"
      "set xlabel \"offered (records/s)\"\n"
      "set ylabel \"processed (records/s of the batches completed in the measured period)\"\n"
      "set grid\nset key left top\nset format x \"%.0f\"\nset format y \"%.0f\"\n" +
      fmt::format("set xrange [0:{0}]\nset yrange [0:{0}]\n", highest * 1.1) + plot + kMarkerKey +
      "\n";
  return draw(gnuplot, out_dir, "sustained_vs_offered", data, script);
}

StatusOr<std::string> timeline(const std::string& gnuplot, const std::string& out_dir,
                               const RunOutcome& o) {
  const RunMeasurement& r = o.run;
  auto cell = [](int64_t v) { return v >= 0 ? std::to_string(v) : std::string("NaN"); };
  // A batch not completed at the last snapshot has no total delay; the time it had waited
  // by then (the lower bound the judgement counts) is drawn as an open point instead.
  auto waited = [&](const BatchRecord& b) -> int64_t {
    return b.completed() ? -1 : std::max<int64_t>(0, r.end_poll_ms - b.batch_time_ms);
  };
  std::string data =
      "# seconds_since_first_batch total_delay_ms scheduling_delay_ms processing_time_ms records "
      "waited_ms_if_not_completed\n";
  bool any_waiting = false;
  for (const auto& b : r.batches) {
    any_waiting |= waited(b) >= 0;
    data += fmt::format("{:.3f} {} {} {} {} {}\n",
                        static_cast<double>(b.batch_time_ms - r.first_batch_ms) / 1000.0,
                        cell(b.total_delay_ms), cell(b.scheduling_delay_ms),
                        cell(b.processing_time_ms), b.records, cell(waited(b)));
  }
  std::string why =
      o.verdict.why.size() > 140 ? o.verdict.why.substr(0, 137) + "..." : o.verdict.why;
  double warm = static_cast<double>(r.warm_end_ms - r.first_batch_ms) / 1000.0;
  double end = static_cast<double>(r.measure_end_ms - r.first_batch_ms) / 1000.0;
  // The interval line and the end of the measured period inside the frame, not on it. The
  // y range fits the batches after the warm-up: the start-up's seconds of delay in the
  // first batches would flatten the period that is judged, so they are clipped (and the
  // label says so).
  int64_t highest = r.spec.interval_ms, highest_warmup = 0;
  double last_s = end;
  for (const auto& b : r.batches) {
    int64_t top = std::max({b.total_delay_ms, b.scheduling_delay_ms, waited(b)});
    if (r.phaseOf(b) == Phase::kWarmup)
      highest_warmup = std::max(highest_warmup, top);
    else
      highest = std::max(highest, top);
    last_s = std::max(last_s, static_cast<double>(b.batch_time_ms - r.first_batch_ms) / 1000.0);
  }
  double y_top = static_cast<double>(highest) * 1.15;
  bool clipped = static_cast<double>(highest_warmup) > y_top;
  std::string name = "timeline-" + r.spec.run_id;
  std::string script =
      "set title " +
      quoted(r.spec.run_id + ": " + (o.verdict.stable ? "stable" : "not stable") + "\n" + why) +
      "\n" +
      "set xlabel \"batch time (s, from the first completed batch)\"\nset ylabel \"ms\"\n"
      "set grid\nset key outside bottom center horizontal\nset bmargin 6\n"
      "set style textbox opaque noborder\n" +
      fmt::format(
          "set xrange [{}:{}]\nset yrange [0:{:.0f}]\n",
          std::min(0.0, static_cast<double>(r.batches.front().batch_time_ms - r.first_batch_ms) /
                            1000.0) -
              0.2,
          last_s + 0.5, std::ceil(y_top)) +
      fmt::format(
          "set arrow from {0}, graph 0 to {0}, graph 1 nohead dt 2 lc rgb \"gray40\"\n"
          "set arrow from {1}, graph 0 to {1}, graph 1 nohead dt 2 lc rgb \"gray40\"\n"
          "set label {2} at graph 0.01, graph 0.96 front boxed\n"
          "set label \"measured\" at {0}, graph 0.96 offset 1,0 front boxed\n",
          warm, end, clipped ? "\"warm-up (clipped)\"" : "\"warm-up\"") +
      // total delay last, on top of processing time (equal while nothing waits)
      fmt::format(
          "plot \"{0}.dat\" using 1:3 with lines lw 1.5 lc rgb \"#e07000\" title \"scheduling "
          "delay\", \\\n"
          "  \"{0}.dat\" using 1:4 with lines lw 1.5 lc rgb \"#2a9d8f\" title \"processing "
          "time\", \\\n"
          "  \"{0}.dat\" using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb \"#7b2cbf\" "
          "title \"total delay\", \\\n",
          name) +
      (any_waiting ? fmt::format("  \"{}.dat\" using 1:6 with points pt 6 ps 1.2 lc rgb "
                                 "\"#7b2cbf\" title \"not completed: waited so far\", \\\n",
                                 name)
                   : std::string()) +
      fmt::format("  {0} with lines dt 3 lw 1.5 lc rgb \"black\" title \"interval ({0} ms)\"\n",
                  r.spec.interval_ms);
  return draw(gnuplot, out_dir, name, data, script);
}

}  // namespace

Status checkGnuplot(const std::string& gnuplot) {
  std::string dir = fs::temp_directory_path().string();
  Status st = runGnuplot(gnuplot, {"-e", "set terminal pngcairo"}, dir, "/dev/null");
  if (st.isOk()) return st;
  return Status::unavailable(
      "cannot draw PNG plots with '" + gnuplot + "' (" + st.message() +
      "): install gnuplot-nox (Debian) or pass --gnuplot PATH, or --no-plots");
}

PlotFiles drawPlots(const std::string& gnuplot, const std::string& out_dir,
                    const std::vector<RunOutcome>& outcomes,
                    const std::vector<PointSummary>& points) {
  PlotFiles files;
  std::error_code ec;
  fs::create_directories(out_dir + "/plots", ec);
  std::ofstream(out_dir + "/plots/gnuplot.log", std::ios::trunc);
  auto keep = [&](const char* what, StatusOr<std::string> drawn, std::string* into) {
    if (drawn)
      *into = *drawn;
    else
      files.errors.push_back(std::string(what) + ": " + drawn.status().message());
  };
  if (!points.empty())
    keep("delay against interval", delayVsInterval(gnuplot, out_dir, points),
         &files.delay_vs_interval);
  bool rates = std::any_of(points.begin(), points.end(),
                           [](const PointSummary& p) { return p.key.rate > 0; });
  if (rates)
    keep("sustained against offered", sustainedVsOffered(gnuplot, out_dir, points),
         &files.sustained_vs_offered);
  for (const auto& o : outcomes) {
    if (o.run.batches.empty()) continue;
    std::string path;
    keep(("timeline of " + o.run.spec.run_id).c_str(), timeline(gnuplot, out_dir, o), &path);
    if (!path.empty()) files.timelines.emplace_back(o.run.spec.run_id, path);
  }
  return files;
}

}  // namespace sluice::tune
