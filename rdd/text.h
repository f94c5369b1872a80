// toText(): how saveAsTextFile and print() show a record. Strings as they are, numbers in
// their shortest form, pairs and tuples as Spark shows Scala tuples: "(word,3)".
#pragma once

#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <spdlog/fmt/fmt.h>

namespace sluice {

inline std::string toText(const std::string& s) { return s; }
inline std::string toText(const char* s) { return s; }
inline std::string toText(bool b) { return b ? "true" : "false"; }

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>, std::string> toText(T v) {
  return fmt::format("{}", v);
}

template <class A, class B>
std::string toText(const std::pair<A, B>& p);
template <class T>
std::string toText(const std::vector<T>& v);

template <class A, class B>
std::string toText(const std::pair<A, B>& p) {
  return "(" + toText(p.first) + "," + toText(p.second) + ")";
}

template <class T>
std::string toText(const std::vector<T>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ",";
    out += toText(v[i]);
  }
  return out + "]";
}

template <class T>
std::string toText(const std::optional<T>& v) {
  return v ? "Some(" + toText(*v) + ")" : "None";
}

}  // namespace sluice
