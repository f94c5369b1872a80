#include "streaming/ui/streaming_page.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/http_server.h"
#include "common/ui/html_table.h"
#include "common/ui/page_layout.h"
#include "common/ui/svg_chart.h"
#include "common/ui/units.h"
#include "streaming/ui/batch_tables.h"
#include "streaming/ui/streaming_health.h"
#include "streaming/ui/streaming_rest.h"

namespace sluice {
namespace {

using nlohmann::json;

// One row of the statistics table: a metric's average, its timeline and its histogram.
struct Metric {
  std::string name;
  std::string css;      // e.g. "input-rate": the charts' classes are chart-<css>
  std::string average;  // already formatted
  std::vector<ui::ChartPoint> points;
  ui::ChartOptions options;
};

std::string durationLabel(double ms) { return ui::formatDuration(static_cast<int64_t>(ms + 0.5)); }
std::string rateLabel(double v) { return ui::formatCompact(v) + "/s"; }

std::string avgDuration(const json& stats, const char* key) {
  return stats[key].is_number() ? "avg " + ui::formatDuration(stats[key].get<int64_t>()) : "avg -";
}

std::vector<Metric> metrics(const StreamingProgress& p, const json& stats) {
  const double seconds = static_cast<double>(std::max<int64_t>(1, p.batch_duration_ms)) / 1000.0;
  Metric rate{"Input Rate",
              "input-rate",
              stats["avgInputRate"].is_number()
                  ? "avg " + ui::formatRate(stats["avgInputRate"].get<double>())
                  : "avg -",
              {},
              {}};
  Metric sched{
      "Scheduling Delay", "scheduling-delay", avgDuration(stats, "avgSchedulingDelay"), {}, {}};
  Metric proc{
      "Processing Time", "processing-time", avgDuration(stats, "avgProcessingTime"), {}, {}};
  Metric total{"Total Delay", "total-delay", avgDuration(stats, "avgTotalDelay"), {}, {}};
  for (const BatchInfo& b : p.completed) {
    const std::string href = batchHref(b.batch_time);
    rate.points.push_back({b.batch_time, static_cast<double>(b.num_records) / seconds, href});
    sched.points.push_back(
        {b.batch_time, static_cast<double>(std::max<int64_t>(0, b.schedulingDelayMs())), href});
    proc.points.push_back(
        {b.batch_time, static_cast<double>(std::max<int64_t>(0, b.processingTimeMs())), href});
    total.points.push_back(
        {b.batch_time, static_cast<double>(std::max<int64_t>(0, b.totalDelayMs())), href});
  }
  rate.options.format = rateLabel;
  for (Metric* m : {&sched, &proc, &total}) {
    m->options.format = durationLabel;
    m->options.threshold = static_cast<double>(p.batch_duration_ms);
    m->options.threshold_label = "batch interval";
  }
  return {rate, sched, proc, total};
}

std::string statsTable(const std::vector<Metric>& ms) {
  std::ostringstream os;
  os << "<table class=\"stats\"><tbody>\n";
  for (const Metric& m : ms) {
    std::vector<double> values;
    for (const auto& pt : m.points) values.push_back(pt.value);
    ui::ChartOptions timeline = m.options, histogram = m.options;
    timeline.css_class = "chart-" + m.css + " timeline-" + m.css;
    histogram.css_class = "chart-" + m.css + " histogram-" + m.css;
    histogram.width = 300;
    // The histogram shares the timeline's value axis.
    histogram.max_value = timeline.max_value = ui::axisTop(values, m.options);
    os << "<tr id=\"" << m.css << "\"><td class=\"metric\"><div class=\"name\">"
       << htmlEscape(m.name) << "</div><div class=\"avg\">" << htmlEscape(m.average)
       << "</div></td><td>" << ui::svgTimeline(m.points, timeline) << "</td><td>"
       << ui::svgHistogram(values, histogram) << "</td></tr>\n";
  }
  os << "</tbody></table>\n";
  return os.str();
}

std::string text(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
}

std::string receiversTable(const json& receivers) {
  std::vector<ui::Row> rows;
  for (const json& r : receivers) {
    const bool active = r.value("isActive", false);
    std::string where = r["executorId"].is_null() ? "" : "executor " + text(r["executorId"]);
    if (!text(r["executorHost"]).empty())
      where += (where.empty() ? "" : " @ ") + text(r["executorHost"]);
    const json bound = r.value("currentRateLimit", json());
    std::string error = text(r["lastErrorMessage"]);
    if (!error.empty() && r["lastErrorTime"].is_string())
      error = r["lastErrorTime"].get<std::string>() + ": " + error;
    rows.push_back(
        {htmlEscape(text(r["streamName"]) + " (stream " + text(r["streamId"]) + ")"),
         ui::Cell(active ? "ACTIVE" : "INACTIVE", active ? "ok" : "bad"),
         where.empty() ? ui::Cell("-", "muted") : ui::Cell(htmlEscape(where)),
         ui::Cell(
             r["avgEventRate"].is_number() ? ui::formatRate(r["avgEventRate"].get<double>()) : "-",
             "num"),
         ui::Cell(bound.is_number() && bound.get<double>() >= 0
                      ? ui::formatRate(bound.get<double>())
                      : "-",
                  "num"),
         error.empty() ? ui::Cell("-", "muted") : ui::Cell(htmlEscape(error), "bad")});
  }
  return ui::htmlTable({"Receiver", "Status", "Location", "Avg Rate", "Rate Bound", "Last Error"},
                       rows, "no receivers", "receivers");
}

std::string summary(const StreamingProgress& p, const json& stats, int64_t now_ms) {
  const StreamingHealth h = streamingHealth(p);
  std::ostringstream os;
  os << "<div class=\"summary " << h.cssClass() << "\" id=\"health\" data-queued=\"" << h.queued
     << "\">"
     << "<div class=\"headline\">" << htmlEscape(h.headline) << "</div>"
     << "Running batches of " << ui::formatDuration(p.batch_duration_ms) << " for "
     << ui::formatDuration(std::max<int64_t>(0, now_ms - p.start_ms)) << " since "
     << ui::formatTimestamp(p.start_ms) << " (" << ui::formatCount(p.num_total_completed)
     << " completed batches, " << ui::formatCount(p.num_total_processed_records) << " records)"
     << "<ul class=\"facts\">"
     << "<li><b>Receivers:</b> " << stats.value("numActiveReceivers", 0) << " active of "
     << stats.value("numReceivers", 0) << "</li>"
     << "<li><b>Active batches:</b> " << h.processing << " processing, " << h.queued
     << " queued</li>"
     << "<li><b>Records received:</b> "
     << ui::formatCount(stats.value("numReceivedRecords", int64_t{0})) << "</li>"
     << "<li><b>Retained completed batches:</b> "
     << ui::formatCount(static_cast<int64_t>(p.completed.size())) << "</li></ul></div>\n";
  return os.str();
}

}  // namespace

std::string batchHref(int64_t batch_time_ms) {
  return "/streaming/batch?id=" + std::to_string(batch_time_ms);
}

std::string renderStreamingPage(const StreamingProgress& p, const DriverPageInfo& app,
                                const StreamingPageQuery& q, int64_t now_ms) {
  const json stats = streamingStatistics(p);
  ui::PageLayout layout{"Sluice", app.app_name + " (" + app.app_id + ")", ui::driverTabs({kStreamingTab}),
                        "Streaming", 5};
  std::ostringstream os;
  os << ui::pageStart(layout) << "<h1>Streaming Statistics</h1>\n"
     << summary(p, stats, now_ms) << statsTable(metrics(p, stats))
     << "<h2 id=\"receivers\">Receivers (" << p.receivers.size() << ")</h2>\n"
     << receiversTable(streamingReceivers(p)) << "<h2 id=\"active\">Active Batches ("
     << p.active.size() << ")</h2>\n"
     << activeBatchesTable(p, q, now_ms) << "<h2 id=\"completed\">Completed Batches (last "
     << p.completed.size() << " out of " << ui::formatCount(p.num_total_completed) << ")</h2>\n"
     << completedBatchesTable(p, q) << ui::pageEnd(layout);
  return os.str();
}

}  // namespace sluice
