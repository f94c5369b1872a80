#include "bench/tune/html_report.h"

#include <spdlog/fmt/fmt.h>

#include <fstream>
#include <sstream>

#include "common/http_server.h"

namespace sluice::tune {
namespace {

std::string esc(const std::string& s) { return htmlEscape(s); }
std::string ms(int64_t v) { return v >= 0 ? std::to_string(v) : "-"; }

void pointsTable(std::ostream& h, const std::vector<PointSummary>& points) {
  h << "<table><tr><th>interval (ms)</th><th>rate (records/s)</th><th>stable runs</th><th>p50 "
       "total delay (ms)</th>"
       "<th>p99 total delay (ms)</th><th>sustained (records/s)</th><th>processed "
       "(records/s)</th><th>offered (records/s)</th><th>verdict</th>"
       "<th>flag</th></tr>\n";
  for (const auto& p : points) {
    h << "<tr><td>" << p.key.interval_ms << "</td><td>"
      << (p.key.rate > 0 ? std::to_string(p.key.rate) : "unlimited") << "</td><td>" << p.stable_runs
      << "/" << p.runs << (p.attempt > 1 ? " (re-measured)" : "") << "</td><td>"
      << ms(p.p50_total_delay_ms) << "</td><td>" << ms(p.p99_total_delay_ms) << "</td><td>"
      << fmt::format("{:.0f}", p.sustained_per_s) << "</td><td>"
      << fmt::format("{:.0f}", p.processed_per_s) << "</td><td>"
      << (p.offered_per_s > 0 ? fmt::format("{:.0f}", p.offered_per_s) : "-") << "</td><td class='"
      << (p.stable ? "ok'>stable" : "bad'>not stable") << "</td><td class='flag'>"
      << esc(p.contradiction) << "</td></tr>\n";
  }
  h << "</table>\n";
}

void runsTable(std::ostream& h, const std::vector<RunOutcome>& outcomes, const PlotFiles& plots) {
  h << "<table><tr><th>run</th><th>stable</th><th>why</th><th>measured batches</th><th>p99 total "
       "delay (ms)</th>"
       "<th>scheduling delay growth (ms)</th><th>queued at end</th><th>sustained (records/s)</th>"
       "<th>processed (records/s)</th>"
       "<th>driver log</th><th>timeline</th></tr>\n";
  for (const auto& o : outcomes) {
    std::string timeline;
    for (const auto& [id, path] : plots.timelines)
      if (id == o.run.spec.run_id) timeline = "<a href='" + esc(path) + "'>png</a>";
    const RunVerdict& v = o.verdict;
    h << "<tr><td class='id'>" << esc(o.run.spec.run_id) << "</td><td class='"
      << (v.stable ? "ok'>yes" : "bad'>no") << "</td><td class='why'>" << esc(v.why) << "</td><td>"
      << v.measured_batches << "</td><td>" << ms(v.p99_total_delay_ms) << "</td><td>"
      << rounded(v.scheduling_growth_ms) << "</td><td>" << v.queued_at_end << "</td><td>"
      << fmt::format("{:.0f}", v.sustained_per_s) << "</td><td>"
      << fmt::format("{:.0f}", v.processed_per_s) << "</td><td><a href='" << esc(o.run.log_prefix)
      << ".err'>stderr</a> <a href='" << esc(o.run.log_prefix) << ".out'>stdout</a> <a href='"
      << esc(o.run.log_prefix) << ".cmd'>command</a></td><td>" << timeline << "</td></tr>\n";
  }
  h << "</table>\n";
}

}  // namespace

Status writeHtmlReport(const std::string& path, const ReportContent& c) {
  const TuneOptions& o = *c.options;
  std::ostringstream h;
  h << "<!DOCTYPE html><html><head><meta charset='utf-8'><title>sluice-tune: " << esc(o.app_path)
    << "</title><style>"
       "body{font-family:sans-serif;max-width:1400px;margin:auto;padding:0 1em}"
       "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px "
       "8px;text-align:right}"
       "td.why{text-align:left;min-width:22em;max-width:40em}td.id{white-space:nowrap}td.flag{text-"
       "align:left}"
       "td.ok{color:#070;white-space:nowrap}td.bad{color:#a00;white-space:nowrap}"
       "pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap}img{max-width:100%}"
       ".thumbs img{width:460px;margin:4px;border:1px solid #ddd}</style></head><body>\n";
  h << "<h1>sluice-tune: " << esc(o.app_path) << "</h1>\n<pre>" << esc(o.command_line)
    << "</pre>\n";
  h << "<p>Master <b>" << esc(o.master) << "</b>; started " << esc(c.started) << ", finished "
    << esc(c.finished)
    << fmt::format("; warm-up {} s, measured {} s, {} repeat(s) per point.</p>\n",
                   o.warmup.count() / 1000.0, o.measure.count() / 1000.0, o.repeat);
  if (!c.note.empty()) h << "<p><b>" << esc(c.note) << "</b></p>\n";
  h << "<h2 id='verdicts'>Verdicts</h2>\n<ul>\n";
  for (const auto& v : c.verdicts) h << "<li>" << esc(v) << "</li>\n";
  h << "</ul>\n<p>A run is stable when, over its measured batches, the scheduling delay did not "
       "grow by more than "
    << o.criteria.trend_tolerance
    << " interval(s) (least-squares trend times the measured span), no batch was still "
       "queued a whole interval after its batch time at the end, the p99 total delay stayed below "
       "the interval, at "
       "least "
    << o.criteria.min_batches << " batches were measured and, with a rate, at least "
    << o.criteria.min_sustained * 100
    << " % of the offered records/s reached the measured batches. A point is stable when all its "
       "runs are. <i>Sustained</i> is the records of the measured batches per second of their "
       "stream (what the source delivered); <i>processed</i> the records of the batches that "
       "completed within the measured period per second of it (what the application got "
       "through: below the offered rate when the queue grows).</p>\n";
  h << "<h2 id='plots'>Plots</h2>\n";
  if (!c.plots.delay_vs_interval.empty())
    h << "<p><img src='" << esc(c.plots.delay_vs_interval)
      << "' alt='total delay against interval'></p>\n";
  if (!c.plots.sustained_vs_offered.empty())
    h << "<p><img src='" << esc(c.plots.sustained_vs_offered)
      << "' alt='processed against offered rate'></p>\n";
  for (const auto& e : c.plots.errors) h << "<p>Plot not drawn: " << esc(e) << "</p>\n";
  h << "<h2 id='points'>Points</h2>\n";
  pointsTable(h, *c.points);
  h << "<h2 id='runs'>Runs</h2>\n";
  runsTable(h, *c.outcomes, c.plots);
  h << "<h2 id='timelines'>Timelines</h2>\n<p>Each batch's total delay, scheduling delay and "
       "processing time "
       "against its batch time; "
       "the dashed lines mark the end of the warm-up and of the measured period.</p>\n<div "
       "class='thumbs'>\n";
  for (const auto& [id, p] : c.plots.timelines)
    h << "<a href='" << esc(p) << "'><img src='" << esc(p) << "' alt='" << esc(id) << "' title='"
      << esc(id) << "'></a>\n";
  h << "</div>\n<h2 id='files'>Files</h2>\n<ul><li><a href='batches.csv'>batches.csv</a>: every "
       "batch of "
       "every run</li>"
       "<li><a href='summary.csv'>summary.csv</a>: one row per run</li>"
       "<li><a href='verdicts.txt'>verdicts.txt</a></li><li><a href='plots/'>plots/</a>: the PNGs "
       "with their data "
       "and gnuplot scripts</li><li><a href='logs/'>logs/</a>: each driver's command, stdout and "
       "stderr</li></ul>\n"
       "</body></html>\n";
  std::ofstream out(path, std::ios::trunc);
  out << h.str();
  out.flush();
  if (!out) return Status::ioError("cannot write " + path);
  return Status::ok();
}

}  // namespace sluice::tune
