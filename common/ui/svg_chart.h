// Server-side charts for the web UIs, drawn as inline SVG (no scripts, nothing loaded from
// elsewhere): a timeline of one value per batch and its histogram, drawn sideways on the
// same value axis as the timeline, as Spark's Streaming tab pairs them.
//
// Both return one <svg> element with class "chart" plus options.css_class and the
// attribute data-points="<number of values drawn>"; values are HTML-escaped. Pure
// functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sluice::ui {

struct ChartPoint {
  int64_t time_ms = 0;  // x: ms since the epoch
  double value = 0;     // y
  std::string href;     // where a click on the point goes; empty: nowhere
};

struct ChartOptions {
  int width = 520;
  int height = 170;
  std::string css_class;                      // e.g. "chart-input-rate"
  std::function<std::string(double)> format;  // value labels and tooltips; default formatCompact
  std::optional<double> threshold;  // a dashed line at this value (e.g. the batch interval)
  std::string threshold_label;      // its label, e.g. "batch interval"
  double max_value = 0;             // the top of the value axis; 0: from the values
  std::string empty_text = "no completed batches yet";
};

// The top of a value axis that holds max: 1, 2, 2.5 or 5 times a power of ten, at least
// max (0 and negative give 1).
double niceCeiling(double max);

// The top of the value axis the timeline and histogram of values share: options.max_value
// if set, else niceCeiling of the largest value and the threshold.
double axisTop(const std::vector<double>& values, const ChartOptions& options);

// A line through the points in time order with a dot per point (its tooltip: time and
// value), a time axis and a value axis from 0 to axisTop.
std::string svgTimeline(const std::vector<ChartPoint>& points, const ChartOptions& options);

// The values counted in `bins` equal buckets over [0, axisTop], one horizontal bar per
// non-empty bucket (its tooltip: range and count), values on the vertical axis.
std::string svgHistogram(const std::vector<double>& values, const ChartOptions& options,
                         int bins = 10);

}  // namespace sluice::ui
