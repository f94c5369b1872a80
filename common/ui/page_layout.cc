#include "common/ui/page_layout.h"

#include <sstream>

#include "common/http_server.h"

namespace sluice::ui {

const char* const kStyleSheet = R"(
* { box-sizing: border-box; }
body { margin: 0; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 14px; color: #1f2933; background: #fff; }
header { display: flex; align-items: center; gap: 20px; background: #243447; color: #fff; padding: 0 20px; height: 48px; }
header .product { font-weight: 700; font-size: 17px; color: #fff; text-decoration: none; }
header .subtitle { color: #b8c4d1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 40%; }
header nav { display: flex; height: 100%; }
header nav a { color: #d5dde6; text-decoration: none; padding: 0 14px; display: flex; align-items: center; border-bottom: 3px solid transparent; }
header nav a:hover { color: #fff; }
header nav a.active { color: #fff; border-bottom-color: #4fa3e0; background: #2d3f55; }
header .refresh { margin-left: auto; color: #b8c4d1; font-size: 12px; }
main { padding: 16px 24px 40px; }
h1 { font-size: 22px; margin: 4px 0 12px; font-weight: 600; }
h2 { font-size: 17px; margin: 26px 0 8px; font-weight: 600; border-bottom: 1px solid #e4e8ec; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
a { color: #1f6fb5; }
table.data { border-collapse: collapse; min-width: 50%; margin: 6px 0; }
table.data th { background: #eef2f6; text-align: left; font-weight: 600; border-bottom: 2px solid #cfd8e1; }
table.data th, table.data td { padding: 5px 12px; border-bottom: 1px solid #e4e8ec; vertical-align: top; }
table.data tr:nth-child(even) td { background: #f8fafb; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.none { color: #8a96a3; font-style: italic; }
td.ok, span.ok { color: #217a3c; } td.warn, span.warn { color: #a15c00; } td.bad, span.bad { color: #b42318; font-weight: 600; }
.muted { color: #8a96a3; }
form.kill { display: inline; margin-left: 6px; } form.kill button { font-size: 85%; color: #b42318; }
ul.facts { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 8px 28px; }
ul.facts li b { font-weight: 600; }
.summary { border-left: 6px solid #2e9e5b; background: #f1f8f3; padding: 10px 16px; margin: 8px 0 16px; }
.summary.warn { border-left-color: #e0a100; background: #fff8e5; }
.summary.bad { border-left-color: #d92d20; background: #fdecea; }
.summary .headline { font-size: 15px; font-weight: 600; margin-bottom: 4px; }
.summary.warn .headline { color: #8a5300; } .summary.bad .headline { color: #b42318; }
table.stats { border-collapse: collapse; }
table.stats td { padding: 6px 10px; vertical-align: middle; border-bottom: 1px solid #e4e8ec; }
table.stats td.metric { width: 200px; }
table.stats td.metric .name { font-weight: 600; font-size: 15px; }
table.stats td.metric .avg { color: #52606d; margin-top: 4px; }
svg.chart { background: #fcfdfe; border: 1px solid #e4e8ec; font-size: 10px; }
svg.chart .grid { stroke: #e4e8ec; stroke-width: 1; }
svg.chart .axis { fill: #52606d; }
svg.chart .line { fill: none; stroke: #1f6fb5; stroke-width: 1.5; }
svg.chart .dot { fill: #1f6fb5; }
svg.chart .dot:hover { fill: #d92d20; r: 4; }
svg.chart .bar { fill: #6aa8dc; }
svg.chart .bar:hover { fill: #1f6fb5; }
svg.chart .threshold { stroke: #d92d20; stroke-width: 1; stroke-dasharray: 4 3; }
svg.chart .threshold-label { fill: #b42318; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.chart .empty { fill: #8a96a3; font-size: 13px; }
.pages { margin: 6px 0; color: #52606d; } .pages a, .pages b { margin: 0 4px; }
pre.log { background: #f6f8fa; border: 1px solid #e4e8ec; padding: 10px; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
)";

namespace {

constexpr const char* kRefreshScript = R"(<script>
(function () {
  var box = document.getElementById('autorefresh');
  setInterval(function () {
    if (!box || !box.checked) return;
    fetch(location.href, {cache: 'no-store'}).then(function (r) { return r.ok ? r.text() : null; }).then(function (t) {
      if (!t) return;
      var fresh = new DOMParser().parseFromString(t, 'text/html').getElementById('content');
      if (fresh) document.getElementById('content').replaceWith(fresh);
    }).catch(function () {});
  }, SECONDS * 1000);
})();
</script>)";

}  // namespace

std::string pageStart(const PageLayout& l) {
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
     << htmlEscape(l.product + (l.title.empty() ? "" : ": " + l.title)) << "</title>\n<style>"
     << kStyleSheet << "</style></head>\n<body>\n<header><a class=\"product\" href=\"/\">"
     << htmlEscape(l.product) << "</a>";
  if (!l.title.empty()) os << "<span class=\"subtitle\">" << htmlEscape(l.title) << "</span>";
  if (!l.tabs.empty()) {
    os << "<nav>";
    for (const auto& t : l.tabs) {
      os << "<a href=\"" << htmlEscape(t.href) << "\""
         << (t.label == l.active_tab ? " class=\"active\"" : "") << ">" << htmlEscape(t.label)
         << "</a>";
    }
    os << "</nav>";
  }
  if (l.refresh_seconds > 0) {
    os << "<label class=\"refresh\"><input type=\"checkbox\" id=\"autorefresh\" checked> "
          "auto-refresh every "
       << l.refresh_seconds << " s</label>";
  }
  os << "</header>\n<main id=\"content\">\n";
  return os.str();
}

std::string pageEnd(const PageLayout& l) {
  std::string end = "</main>\n";
  if (l.refresh_seconds > 0) {
    std::string script = kRefreshScript;
    script.replace(script.find("SECONDS"), 7, std::to_string(l.refresh_seconds));
    end += script;
  }
  return end + "\n</body></html>\n";
}

std::vector<NavLink> driverTabs(const std::vector<NavLink>& attached) {
  std::vector<NavLink> tabs = {{"Jobs", "/jobs/"},
                               {"Stages", "/stages/"},
                               {"Environment", "/environment/"},
                               {"Executors", "/executors/"}};
  tabs.insert(tabs.end(), attached.begin(), attached.end());
  tabs.push_back({"REST API", "/api/v1/applications"});
  return tabs;
}

}  // namespace sluice::ui
