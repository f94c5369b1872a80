// PrometheusText: writes metrics in Prometheus's text exposition format (version 0.0.4),
// the body of every daemon's GET /metrics:
//
//   # HELP sluice_tasks_total Tasks that ended, by how they ended.
//   # TYPE sluice_tasks_total counter
//   sluice_tasks_total{status="finished"} 42
//
// Families are written in the order first added, each with its HELP and TYPE lines once
// and all its samples together (as the format requires), whatever order samples come in.
// Names follow Prometheus's conventions: a `sluice_` prefix, base units (`_seconds`,
// `_bytes`), `_total` on counters. Label values are escaped; names are the caller's
// constants and are asserted to be valid.
//
// THREADING: one writer per response; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sluice {

class PrometheusText {
 public:
  enum class Type { kCounter, kGauge };
  using Labels = std::vector<std::pair<std::string, std::string>>;

  // Adds one sample of the family `name`; help and type are those of the family's first
  // sample.
  void counter(const std::string& name, const std::string& help, double value, const Labels& labels = {});
  void gauge(const std::string& name, const std::string& help, double value, const Labels& labels = {});

  // The exposition, ending with a newline; the content type to send it with.
  std::string str() const;
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Family {
    std::string help;
    Type type;
    std::vector<std::string> samples;  // "name{labels} value"
  };
  void add(const std::string& name, const std::string& help, Type type, double value, const Labels& labels);

  std::vector<std::string> order_;
  std::map<std::string, Family> families_;
};

}  // namespace sluice
