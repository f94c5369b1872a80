#include "common/ui/html_table.h"

#include <algorithm>
#include <sstream>

#include "common/http_server.h"

namespace sluice::ui {

std::string htmlTable(const std::vector<std::string>& head, const std::vector<Row>& rows,
                      const std::string& empty_text, const std::string& css_class) {
  std::ostringstream os;
  os << "<table class=\"data" << (css_class.empty() ? "" : " " + htmlEscape(css_class))
     << "\"><thead><tr>";
  for (const auto& h : head) os << "<th>" << htmlEscape(h) << "</th>";
  os << "</tr></thead><tbody>\n";
  if (rows.empty())
    os << "<tr><td colspan=\"" << head.size() << "\" class=\"none\">" << htmlEscape(empty_text)
       << "</td></tr>\n";
  for (const auto& row : rows) {
    os << "<tr>";
    for (const auto& c : row) {
      os << "<td" << (c.css_class.empty() ? "" : " class=\"" + htmlEscape(c.css_class) + "\"")
         << ">" << c.html << "</td>";
    }
    os << "</tr>\n";
  }
  os << "</tbody></table>\n";
  return os.str();
}

PageSlice pageSlice(size_t total, int requested, size_t per_page) {
  PageSlice s;
  per_page = std::max<size_t>(1, per_page);
  s.pages = static_cast<int>(std::max<size_t>(1, (total + per_page - 1) / per_page));
  s.page = std::clamp(requested, 1, s.pages);
  s.begin = std::min(total, static_cast<size_t>(s.page - 1) * per_page);
  s.end = std::min(total, s.begin + per_page);
  return s;
}

std::string pageLinks(const PageSlice& s, const std::string& href_prefix) {
  if (s.pages <= 1) return "";
  std::ostringstream os;
  os << "<div class=\"pages\">Page " << s.page << " of " << s.pages << ":";
  auto to = [&](int page, const std::string& text) {
    os << "<a href=\"" << htmlEscape(href_prefix + std::to_string(page)) << "\">"
       << htmlEscape(text) << "</a>";
  };
  if (s.page > 1) to(s.page - 1, "prev");
  int from = std::max(1, s.page - 4), until = std::min(s.pages, s.page + 4);
  if (from > 1) to(1, "1");
  if (from > 2) os << "&hellip;";
  for (int p = from; p <= until; ++p) {
    if (p == s.page) {
      os << "<b>" << p << "</b>";
    } else {
      to(p, std::to_string(p));
    }
  }
  if (until < s.pages - 1) os << "&hellip;";
  if (until < s.pages) to(s.pages, std::to_string(s.pages));
  if (s.page < s.pages) to(s.page + 1, "next");
  os << "</div>\n";
  return os.str();
}

std::string link(const std::string& href, const std::string& text) {
  return "<a href=\"" + htmlEscape(href) + "\">" + htmlEscape(text) + "</a>";
}

}  // namespace sluice::ui
