#include "wal/segment_name.h"

#include <charconv>
#include <cstdio>
#include <type_traits>

namespace sluice::wal {

namespace {

// Parses the decimal digits of text up to the next '-' (or the end) and moves past them.
template <class T>
bool takeNumber(std::string_view* text, T* value) {
  const char* begin = text->data();
  const char* end = begin + text->size();
  auto [p, ec] = std::from_chars(begin, end, *value);
  if (ec != std::errc() || p == begin) return false;
  if constexpr (std::is_signed_v<T>) {
    if (*value < 0) return false;
  }
  text->remove_prefix(static_cast<size_t>(p - begin));
  return true;
}

bool takeDash(std::string_view* text) {
  if (text->empty() || text->front() != '-') return false;
  text->remove_prefix(1);
  return true;
}

}  // namespace

std::string SegmentName::toString() const {
  char buf[96];
  std::snprintf(buf, sizeof buf, "log-%08llu-%lld-%lld", static_cast<unsigned long long>(seq),
                static_cast<long long>(start_ms), static_cast<long long>(end_ms));
  return buf;
}

std::optional<SegmentName> parseSegmentName(std::string_view name) {
  constexpr std::string_view kPrefix = "log-";
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  SegmentName s;
  if (!takeNumber(&name, &s.seq) || !takeDash(&name) || !takeNumber(&name, &s.start_ms) ||
      !takeDash(&name) || !takeNumber(&name, &s.end_ms) || !name.empty()) {
    return std::nullopt;
  }
  if (s.end_ms < s.start_ms) return std::nullopt;
  return s;
}

}  // namespace sluice::wal
