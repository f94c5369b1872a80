// Tables and pagination for the web UIs, in the shared look (page_layout.h).
#pragma once

#include <string>
#include <vector>

namespace sluice::ui {

// One table cell: html is already escaped; css_class (e.g. "num", "bad") may be empty.
struct Cell {
  std::string html;
  std::string css_class;
  Cell(std::string h) : html(std::move(h)) {}  // NOLINT: rows are written as brace lists of strings
  Cell(const char* h) : html(h) {}             // NOLINT
  Cell(std::string h, std::string c) : html(std::move(h)), css_class(std::move(c)) {}
};
using Row = std::vector<Cell>;

// A <table class="data">: header cells (escaped here), then the rows; no rows gives one
// row saying empty_text. css_class is added to the table's class.
std::string htmlTable(const std::vector<std::string>& head, const std::vector<Row>& rows,
                      const std::string& empty_text = "none", const std::string& css_class = "");

// A page of a list: which rows of `total` page `requested` (1-based, clamped) shows.
struct PageSlice {
  size_t begin = 0, end = 0;  // [begin, end) of the rows
  int page = 1, pages = 1;
};
PageSlice pageSlice(size_t total, int requested, size_t per_page);

// "Page 2 of 5" with links to the other pages (at most a window around the current one),
// each href_prefix + page number (e.g. "?page="); empty when there is one page.
std::string pageLinks(const PageSlice& slice, const std::string& href_prefix);

// "<a href=...>text</a>" with both escaped.
std::string link(const std::string& href, const std::string& text);

}  // namespace sluice::ui
