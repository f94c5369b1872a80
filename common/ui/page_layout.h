// The one look of Sluice's three web UIs (driver, master, worker): a page with a header bar
// (product, title, tabs), the shared style sheet, and a main element with id "content".
// With refresh_seconds, a small inline script (nothing loaded from elsewhere) re-fetches
// the page that often and swaps in its new content, unless the reader unticks
// "auto-refresh" in the header.
#pragma once

#include <string>
#include <vector>

namespace sluice::ui {

struct NavLink {
  std::string label;
  std::string href;
};

struct PageLayout {
  std::string product;        // the header's left side: "Sluice Master", "Sluice Worker", "Sluice"
  std::string title;          // the <title> and the header's subtitle (an app name, a URL)
  std::vector<NavLink> tabs;  // may be empty
  std::string active_tab;     // the label of the tab shown as current
  int refresh_seconds = 0;    // 0: no refresh
};

// Everything up to and including <main id="content">; then the caller's HTML; then pageEnd().
std::string pageStart(const PageLayout& layout);
std::string pageEnd(const PageLayout& layout);

// The driver UI's tabs, in Spark's order: Jobs, Stages, Environment, Executors, then the
// ones parts of the driver attach (Streaming), then the REST API's entry point.
std::vector<NavLink> driverTabs(const std::vector<NavLink>& attached = {});

// CSS classes the style sheet defines for pages to use: "ok", "warn", "bad" (status
// colours, also on tables rows and the summary box), "num" (right-aligned cells), "muted".
extern const char* const kStyleSheet;

}  // namespace sluice::ui
