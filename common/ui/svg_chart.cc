#include "common/ui/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "common/http_server.h"
#include "common/ui/units.h"

namespace sluice::ui {
namespace {

// The plot area inside the SVG: room on the left for value labels, below for time labels.
struct Frame {
  double left = 56, top = 10, right = 12, bottom = 24;
  double width, height;  // of the plot area
  explicit Frame(const ChartOptions& o)
      : width(o.width - left - right), height(o.height - top - bottom) {}
  double x0() const { return left; }
  double y0() const { return top + height; }  // the zero line
};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string label(const ChartOptions& o, double v) {
  return o.format ? o.format(v) : formatCompact(v);
}

void open(std::ostringstream& svg, const ChartOptions& o, const char* kind, size_t points) {
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " << kind;
  if (!o.css_class.empty()) svg << ' ' << htmlEscape(o.css_class);
  svg << "\" width=\"" << o.width << "\" height=\"" << o.height << "\" viewBox=\"0 0 " << o.width
      << ' ' << o.height << "\" data-points=\"" << points << "\" role=\"img\">";
}

void emptyChart(std::ostringstream& svg, const ChartOptions& o) {
  svg << "<text class=\"empty\" x=\"" << o.width / 2 << "\" y=\"" << o.height / 2
      << "\" text-anchor=\"middle\">" << htmlEscape(o.empty_text) << "</text></svg>";
}

// Horizontal grid lines and labels at 0, top/2 and top of the value axis.
void valueAxis(std::ostringstream& svg, const Frame& f, const ChartOptions& o, double top) {
  for (int i = 0; i <= 2; ++i) {
    double v = top * i / 2.0;
    double y = f.y0() - f.height * i / 2.0;
    svg << "<line class=\"grid\" x1=\"" << num(f.x0()) << "\" x2=\"" << num(f.x0() + f.width)
        << "\" y1=\"" << num(y) << "\" y2=\"" << num(y) << "\"/>"
        << "<text class=\"axis\" x=\"" << num(f.x0() - 6) << "\" y=\"" << num(y + 4)
        << "\" text-anchor=\"end\">" << htmlEscape(label(o, v)) << "</text>";
  }
}

void thresholdLine(std::ostringstream& svg, const Frame& f, const ChartOptions& o, double top) {
  if (!o.threshold || *o.threshold <= 0 || *o.threshold > top) return;
  double y = f.y0() - f.height * (*o.threshold / top);
  svg << "<line class=\"threshold\" x1=\"" << num(f.x0()) << "\" x2=\"" << num(f.x0() + f.width)
      << "\" y1=\"" << num(y) << "\" y2=\"" << num(y) << "\"/>";
  if (!o.threshold_label.empty()) {
    svg << "<text class=\"threshold-label\" x=\"" << num(f.x0() + f.width - 2) << "\" y=\""
        << num(y - 3) << "\" text-anchor=\"end\">" << htmlEscape(o.threshold_label) << "</text>";
  }
}

}  // namespace

double niceCeiling(double max) {
  if (!(max > 0) || !std::isfinite(max)) return 1;
  double power = std::pow(10.0, std::floor(std::log10(max)));
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (step * power >= max * (1 - 1e-12)) return step * power;
  }
  return 10 * power;
}

double axisTop(const std::vector<double>& values, const ChartOptions& o) {
  if (o.max_value > 0) return o.max_value;
  double max = 0;
  for (double v : values)
    if (std::isfinite(v)) max = std::max(max, v);
  if (o.threshold) max = std::max(max, *o.threshold);
  return niceCeiling(max);
}

std::string svgTimeline(const std::vector<ChartPoint>& input, const ChartOptions& o) {
  std::vector<ChartPoint> points = input;
  std::stable_sort(points.begin(), points.end(),
                   [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; });
  std::ostringstream svg;
  open(svg, o, "timeline", points.size());
  if (points.empty()) {
    emptyChart(svg, o);
    return svg.str();
  }
  std::vector<double> values;
  for (const auto& p : points) values.push_back(p.value);
  const Frame f(o);
  const double top = axisTop(values, o);
  const int64_t t0 = points.front().time_ms, t1 = points.back().time_ms;
  auto x = [&](int64_t t) {
    return t1 == t0 ? f.x0() + f.width / 2 : f.x0() + f.width * double(t - t0) / double(t1 - t0);
  };
  auto y = [&](double v) { return f.y0() - f.height * std::clamp(v / top, 0.0, 1.0); };

  valueAxis(svg, f, o, top);
  // Time labels: first, middle and last point.
  const int64_t ticks[] = {t0, t0 + (t1 - t0) / 2, t1};
  const char* anchors[] = {"start", "middle", "end"};
  for (int i = 0; i < (t1 == t0 ? 1 : 3); ++i) {
    svg << "<text class=\"axis\" x=\"" << num(t1 == t0 ? x(t0) : x(ticks[i])) << "\" y=\""
        << num(f.y0() + 16) << "\" text-anchor=\"" << (t1 == t0 ? "middle" : anchors[i]) << "\">"
        << formatClock(ticks[i]) << "</text>";
  }
  svg << "<path class=\"line\" d=\"";
  for (size_t i = 0; i < points.size(); ++i)
    svg << (i ? " L" : "M") << num(x(points[i].time_ms)) << ',' << num(y(points[i].value));
  svg << "\"/>";
  // A dot per point, with its tooltip; thin the dots out past a few hundred points.
  const size_t step = std::max<size_t>(1, points.size() / 300);
  for (size_t i = 0; i < points.size(); i += step) {
    const ChartPoint& p = points[i];
    if (!p.href.empty()) svg << "<a href=\"" << htmlEscape(p.href) << "\">";
    svg << "<circle class=\"dot\" cx=\"" << num(x(p.time_ms)) << "\" cy=\"" << num(y(p.value))
        << "\" r=\"2.5\"><title>" << formatClock(p.time_ms) << ": " << htmlEscape(label(o, p.value))
        << "</title></circle>";
    if (!p.href.empty()) svg << "</a>";
  }
  thresholdLine(svg, f, o, top);  // over the data, so that its label stays readable
  svg << "</svg>";
  return svg.str();
}

std::string svgHistogram(const std::vector<double>& values, const ChartOptions& o, int bins) {
  std::ostringstream svg;
  open(svg, o, "histogram", values.size());
  if (values.empty() || bins < 1) {
    emptyChart(svg, o);
    return svg.str();
  }
  const Frame f(o);
  const double top = axisTop(values, o);
  std::vector<int64_t> counts(static_cast<size_t>(bins), 0);
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    auto bucket = static_cast<int>(std::floor(std::max(0.0, v) / top * bins));
    ++counts[static_cast<size_t>(std::clamp(bucket, 0, bins - 1))];
  }
  const double most =
      niceCeiling(static_cast<double>(*std::max_element(counts.begin(), counts.end())));
  valueAxis(svg, f, o, top);
  svg << "<text class=\"axis\" x=\"" << num(f.x0()) << "\" y=\"" << num(f.y0() + 16)
      << "\">0</text>"
      << "<text class=\"axis\" x=\"" << num(f.x0() + f.width) << "\" y=\"" << num(f.y0() + 16)
      << "\" text-anchor=\"end\">" << formatCompact(most) << " batches</text>";
  const double bar = f.height / bins;
  for (int i = 0; i < bins; ++i) {
    int64_t n = counts[static_cast<size_t>(i)];
    if (n == 0) continue;
    double w = std::max(1.0, f.width * static_cast<double>(n) / most);
    double y = f.y0() - bar * (i + 1);
    svg << "<rect class=\"bar\" x=\"" << num(f.x0()) << "\" y=\"" << num(y + 0.5) << "\" width=\""
        << num(w) << "\" height=\"" << num(std::max(1.0, bar - 1)) << "\"><title>"
        << htmlEscape(label(o, top * i / bins)) << " to "
        << htmlEscape(label(o, top * (i + 1) / bins)) << ": " << n
        << (n == 1 ? " batch" : " batches") << "</title></rect>";
  }
  thresholdLine(svg, f, o, top);
  svg << "</svg>";
  return svg.str();
}

}  // namespace sluice::ui
