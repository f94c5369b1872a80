#include "common/prometheus_text.h"

#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace sluice {
namespace {

[[maybe_unused]] bool validName(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ':') return false;
  }
  return true;
}

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string escape(const std::string& s, bool quote) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quote) out += "\\\"";
    else out.push_back(c);
  }
  return out;
}

// Integers as integers (counters of bytes exceed float's exact digits in %g), the rest
// with enough digits to round-trip.
std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 9e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.17g", v);
  }
  return buf;
}

}  // namespace

void PrometheusText::counter(const std::string& name, const std::string& help, double value, const Labels& labels) {
  add(name, help, Type::kCounter, value, labels);
}

void PrometheusText::gauge(const std::string& name, const std::string& help, double value, const Labels& labels) {
  add(name, help, Type::kGauge, value, labels);
}

void PrometheusText::add(const std::string& name, const std::string& help, Type type, double value,
                         const Labels& labels) {
  assert(validName(name));
  auto [it, inserted] = families_.try_emplace(name, Family{help, type, {}});
  if (inserted) order_.push_back(name);
  std::string sample = name;
  if (!labels.empty()) {
    sample += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      assert(validName(labels[i].first));
      if (i) sample += ',';
      sample += labels[i].first + "=\"" + escape(labels[i].second, true) + '"';
    }
    sample += '}';
  }
  it->second.samples.push_back(sample + ' ' + formatValue(value));
}

std::string PrometheusText::str() const {
  std::string out;
  for (const std::string& name : order_) {
    const Family& f = families_.at(name);
    out += "# HELP " + name + ' ' + escape(f.help, false) + '\n';
    out += "# TYPE " + name + (f.type == Type::kCounter ? " counter\n" : " gauge\n");
    for (const std::string& s : f.samples) out += s + '\n';
  }
  return out;
}

}  // namespace sluice
