// split(line, sep): the pieces of a line between separators, as a lazy range for flatMap;
// words(line): the same with any whitespace as separator (what `istream >> word` reads).
// Spark's `flatMap(line => line.split(" "))` is written
//
//   lines.flatMap([](const std::string& line) { return sluice::split(line, ' '); })
//
// and gives an RDD<std::string> without building a vector per line: each piece becomes its
// std::string only when flatMap passes it on (short pieces fit in the string itself, so a
// word costs no allocation). Unlike Java's split, empty pieces (from separators in a row,
// or at either end) are skipped.
//
// LIFETIME: the range refers to the line's characters. Take the line by const reference
// in the function given to flatMap (flatMap keeps it alive while it reads the range); a
// line taken by value dies when the function returns, before the range is read.
#pragma once

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

namespace sluice {

class SplitRange {
 public:
  class Iterator {
   public:
    using value_type = std::string;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;

    Iterator() = default;
    Iterator(std::string_view rest, char sep, bool whitespace) : rest_(rest), sep_(sep), whitespace_(whitespace) {
      advance();
    }

    std::string operator*() const { return std::string(piece_); }
    Iterator& operator++() {
      advance();
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      advance();
      return old;
    }
    bool operator==(const Iterator& o) const { return done_ == o.done_ && (done_ || piece_.data() == o.piece_.data()); }

   private:
    bool isSeparator(char c) const {
      if (!whitespace_) return c == sep_;
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    }
    void advance() {
      size_t i = 0;
      while (i < rest_.size() && isSeparator(rest_[i])) ++i;
      if (i == rest_.size()) {
        done_ = true;
        piece_ = {};
        return;
      }
      size_t j = i + 1;  // words are short: a plain loop beats a call to memchr
      while (j < rest_.size() && !isSeparator(rest_[j])) ++j;
      piece_ = rest_.substr(i, j - i);
      rest_.remove_prefix(j);
      done_ = false;
    }

    std::string_view rest_;
    std::string_view piece_;
    char sep_ = ' ';
    bool whitespace_ = false;
    bool done_ = true;
  };

  // whitespace: every whitespace character separates, and sep is not used.
  SplitRange(std::string_view line, char sep, bool whitespace = false)
      : line_(line), sep_(sep), whitespace_(whitespace) {}
  Iterator begin() const { return Iterator(line_, sep_, whitespace_); }
  Iterator end() const { return Iterator(); }

 private:
  std::string_view line_;
  char sep_;
  bool whitespace_;
};

inline SplitRange split(const std::string& line, char sep) { return SplitRange(line, sep); }
inline SplitRange split(std::string_view line, char sep) { return SplitRange(line, sep); }
inline SplitRange words(const std::string& line) { return SplitRange(line, ' ', true); }
inline SplitRange words(std::string_view line) { return SplitRange(line, ' ', true); }
// A temporary string would be gone before the range is read.
SplitRange split(std::string&& line, char sep) = delete;
SplitRange words(std::string&& line) = delete;

}  // namespace sluice
