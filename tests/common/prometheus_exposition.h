// Reads a Prometheus text exposition back, for the tests of every /metrics: each sample by
// its series ("name" or "name{labels}") and the families' TYPE, and checks the format's
// rules as it goes (HELP and TYPE before a family's samples, samples of a family together,
// values that parse, counters named *_total).
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>
#include <string>

namespace sluice::testing {

struct Exposition {
  std::map<std::string, double> samples;     // series -> value
  std::map<std::string, std::string> types;  // family -> counter | gauge
  std::map<std::string, std::string> help;   // family -> text

  bool has(const std::string& series) const { return samples.count(series) > 0; }
  double value(const std::string& series) const {
    auto it = samples.find(series);
    INFO("series " << series);
    REQUIRE(it != samples.end());
    return it->second;
  }
};

// REQUIREs that text follows the format.
inline Exposition parseExposition(const std::string& text) {
  Exposition e;
  std::set<std::string> finished;  // families whose samples ended
  std::string current;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    INFO("line: " << line);
    REQUIRE_FALSE(line.empty());
    if (line.rfind("# HELP ", 0) == 0) {
      std::string rest = line.substr(7);
      std::string name = rest.substr(0, rest.find(' '));
      REQUIRE(e.help.count(name) == 0);
      e.help[name] = rest.substr(name.size() + 1);
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      REQUIRE(e.help.count(name) == 1);  // HELP first
      REQUIRE((type == "counter" || type == "gauge"));
      if (type == "counter") REQUIRE(name.size() > 6);
      if (type == "counter") CHECK(name.substr(name.size() - 6) == "_total");
      e.types[name] = type;
      continue;
    }
    REQUIRE(line[0] != '#');
    auto space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    std::string series = line.substr(0, space);
    std::string family = series.substr(0, series.find('{'));
    REQUIRE(e.types.count(family) == 1);  // TYPE before the samples
    if (family != current) {
      REQUIRE(finished.count(family) == 0);  // a family's samples are together
      if (!current.empty()) finished.insert(current);
      current = family;
    }
    REQUIRE(e.samples.count(series) == 0);
    std::string value = line.substr(space + 1);
    e.samples[series] = value == "NaN" ? 0.0 : std::stod(value);
  }
  return e;
}

}  // namespace sluice::testing
