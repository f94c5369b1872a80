// common/ui/svg_chart.h: the inline SVG timelines and histograms of the Streaming tab.
#include "common/ui/svg_chart.h"

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

using namespace sluice::ui;

namespace {

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The (x, y) pairs of the first <path d="..."> of svg.
std::vector<std::pair<double, double>> pathPoints(const std::string& svg) {
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex("<path class=\"line\" d=\"([^\"]*)\"")));
  std::vector<std::pair<double, double>> out;
  const std::string d = m[1].str();
  std::regex pair("([0-9.]+),([0-9.]+)");
  for (auto it = std::sregex_iterator(d.begin(), d.end(), pair); it != std::sregex_iterator();
       ++it) {
    out.emplace_back(std::stod((*it)[1].str()), std::stod((*it)[2].str()));
  }
  return out;
}

}  // namespace

TEST_CASE("svg chart: the value axis ends on a round number at or above the largest value",
          "[ui]") {
  CHECK(niceCeiling(0) == 1);
  CHECK(niceCeiling(-5) == 1);
  CHECK(niceCeiling(1) == 1);
  CHECK(niceCeiling(7) == 10);
  CHECK(niceCeiling(1234) == 2000);
  CHECK(niceCeiling(250) == 250);
  CHECK(niceCeiling(0.3) == Approx(0.5));
  ChartOptions o;
  o.threshold = 1000;
  CHECK(axisTop({120, 300}, o) == 1000);  // the threshold line stays in view
  o.max_value = 42;
  CHECK(axisTop({120, 300}, o) == 42);
}

TEST_CASE(
    "svg chart: a timeline draws one line through every point, in time order, inside the frame",
    "[ui]") {
  ChartOptions o;
  o.width = 400;
  o.height = 150;
  o.css_class = "chart-total-delay";
  std::vector<ChartPoint> points = {
      {3000, 50, "/streaming/batch?id=3000&x=1"}, {1000, 0, ""}, {2000, 100, ""}};
  std::string svg = svgTimeline(points, o);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("class=\"chart timeline chart-total-delay\"") != std::string::npos);
  CHECK(svg.find("data-points=\"3\"") != std::string::npos);
  CHECK(count(svg, "<circle") == 3);
  CHECK(svg.find("href=\"/streaming/batch?id=3000&amp;x=1\"") != std::string::npos);  // escaped
  auto xy = pathPoints(svg);
  REQUIRE(xy.size() == 3);
  CHECK(xy[0].first < xy[1].first);
  CHECK(xy[1].first < xy[2].first);
  for (auto [x, y] : xy) {
    CHECK(x >= 0);
    CHECK(x <= 400);
    CHECK(y >= 0);
    CHECK(y <= 150);
  }
  // Time order: the zero at t=1000 is lowest (largest y), the 100 at t=2000 at the top.
  CHECK(xy[0].second > xy[2].second);
  CHECK(xy[2].second > xy[1].second);
  // The value axis is labelled up to its top, 100.
  CHECK(svg.find(">100</text>") != std::string::npos);
}

TEST_CASE("svg chart: a threshold line and its label are drawn when they fall on the axis",
          "[ui]") {
  ChartOptions o;
  o.threshold = 200;
  o.threshold_label = "batch interval";
  o.format = [](double v) { return std::to_string(static_cast<int>(v)) + " ms"; };
  std::string svg = svgTimeline({{1000, 150, ""}, {2000, 450, ""}}, o);
  CHECK(count(svg, "class=\"threshold\"") == 1);
  CHECK(svg.find(">batch interval</text>") != std::string::npos);
  CHECK(svg.find(">500 ms</text>") != std::string::npos);  // the axis top
  CHECK(svg.find("450 ms</title>") != std::string::npos);  // a tooltip
}

TEST_CASE("svg chart: no points gives an svg that says so", "[ui]") {
  ChartOptions o;
  std::string timeline = svgTimeline({}, o);
  std::string histogram = svgHistogram({}, o);
  for (const auto& svg : {timeline, histogram}) {
    CHECK(svg.find("data-points=\"0\"") != std::string::npos);
    CHECK(svg.find("no completed batches yet") != std::string::npos);
    CHECK(svg.find("<path") == std::string::npos);
    CHECK(svg.find("<rect") == std::string::npos);
  }
}

TEST_CASE("svg chart: a histogram has one bar per non-empty bucket, the fullest one the widest",
          "[ui]") {
  ChartOptions o;
  o.width = 300;
  o.max_value = 100;
  std::string svg = svgHistogram({10, 12, 15, 30, 95, 100}, o, 10);
  CHECK(svg.find("data-points=\"6\"") != std::string::npos);
  CHECK(count(svg, "<rect class=\"bar\"") == 3);  // buckets 10-20 (3), 30-40 (1), 90-100 (2)
  CHECK(svg.find("10 to 20: 3 batches") != std::string::npos);
  CHECK(svg.find("30 to 40: 1 batch<") != std::string::npos);
  CHECK(svg.find("90 to 100: 2 batches") !=
        std::string::npos);  // the top value goes in the last bucket
  std::smatch m;
  std::vector<double> widths;
  std::regex width("<rect class=\"bar\" [^>]*width=\"([0-9.]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), width); it != std::sregex_iterator();
       ++it) {
    widths.push_back(std::stod((*it)[1].str()));
  }
  REQUIRE(widths.size() == 3);
  CHECK(widths[0] > widths[2]);
  CHECK(widths[2] > widths[1]);
}
