#include "common/conf.h"

#include <cctype>
#include <cmath>
#include <fstream>
#include <utility>

namespace sluice {
namespace {

std::string normalizeKey(const std::string& key) {
  for (const char* prefix : {"sluice.", "spark."}) {
    std::string p(prefix);
    if (key.rfind(p, 0) == 0) return key.substr(p.size());
  }
  return key;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Splits "123ms" into 123 and "ms".
bool splitNumber(const std::string& text, double& number, std::string& unit) {
  size_t used = 0;
  try {
    number = std::stod(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  unit = trim(text.substr(used));
  for (auto& c : unit) c = static_cast<char>(std::tolower(c));
  return number >= 0 && std::isfinite(number);
}

}  // namespace

Conf& Conf::set(const std::string& key, const std::string& value) {
  entries_[normalizeKey(key)] = value;
  return *this;
}

Status Conf::setPair(const std::string& kv) {
  auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::invalidArgument("--conf expects key=value, got '" + kv + "'");
  }
  set(trim(kv.substr(0, eq)), trim(kv.substr(eq + 1)));
  return Status::ok();
}

Status Conf::loadPropertiesFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::notFound("cannot open properties file " + path);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    size_t sep = line.find_first_of("= \t");
    if (sep == std::string::npos) {
      return Status::invalidArgument("bad line in " + path + ": '" + line + "'");
    }
    set(trim(line.substr(0, sep)), trim(line.substr(sep + 1)));
  }
  return Status::ok();
}

bool Conf::contains(const std::string& key) const { return entries_.count(normalizeKey(key)) > 0; }

std::string Conf::get(const std::string& key, const std::string& def) const {
  auto it = entries_.find(normalizeKey(key));
  return it == entries_.end() ? def : it->second;
}

int64_t Conf::getInt(const std::string& key, int64_t def) const {
  auto it = entries_.find(normalizeKey(key));
  if (it == entries_.end()) return def;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    return def;
  }
}

bool Conf::getBool(const std::string& key, bool def) const {
  auto it = entries_.find(normalizeKey(key));
  if (it == entries_.end()) return def;
  auto parsed = parseBool(it->second);
  return parsed && *parsed;  // true, yes or 1 (a bad value is refused at start)
}

std::chrono::milliseconds Conf::getDuration(const std::string& key,
                                            std::chrono::milliseconds def) const {
  auto it = entries_.find(normalizeKey(key));
  if (it == entries_.end()) return def;
  auto parsed = parseDuration(it->second);
  return parsed ? *parsed : def;
}

int64_t Conf::getBytes(const std::string& key, int64_t def) const {
  auto it = entries_.find(normalizeKey(key));
  if (it == entries_.end()) return def;
  auto parsed = parseBytes(it->second);
  return parsed ? *parsed : def;
}

double Conf::getDouble(const std::string& key, double def) const {
  auto it = entries_.find(normalizeKey(key));
  if (it == entries_.end()) return def;
  try {
    return std::stod(it->second);
  } catch (const std::exception&) {
    return def;
  }
}

StatusOr<std::chrono::milliseconds> parseDuration(const std::string& text) {
  double n;
  std::string unit;
  if (!splitNumber(text, n, unit)) return Status::invalidArgument("bad duration '" + text + "'");
  double ms;
  if (unit.empty() || unit == "ms") ms = n;
  else if (unit == "s") ms = n * 1000;
  else if (unit == "min" || unit == "m") ms = n * 60000;
  else if (unit == "h") ms = n * 3600000;
  else return Status::invalidArgument("bad duration unit in '" + text + "' (use ms, s, min, h)");
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

StatusOr<bool> parseBool(const std::string& text) {
  std::string value = text;
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value == "true" || value == "yes" || value == "1") return true;
  if (value == "false" || value == "no" || value == "0") return false;
  return Status::invalidArgument("'" + text + "' is not a bool (true or false)");
}

StatusOr<int64_t> parseBytes(const std::string& text) {
  double n;
  std::string unit;
  if (!splitNumber(text, n, unit)) return Status::invalidArgument("bad size '" + text + "'");
  double mult;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "kb") mult = 1024.0;
  else if (unit == "m" || unit == "mb") mult = 1024.0 * 1024;
  else if (unit == "g" || unit == "gb") mult = 1024.0 * 1024 * 1024;
  else if (unit == "t" || unit == "tb") mult = 1024.0 * 1024 * 1024 * 1024;
  else return Status::invalidArgument("bad size unit in '" + text + "' (use k, m, g, t)");
  return static_cast<int64_t>(n * mult);
}

std::string formatDuration(std::chrono::milliseconds duration) {
  int64_t ms = duration.count();
  if (ms == 0) return "0";
  static constexpr std::pair<const char*, int64_t> kUnits[] = {{"h", 3'600'000}, {"min", 60'000}, {"s", 1'000}};
  for (auto [unit, size] : kUnits) {
    if (ms % size == 0) return std::to_string(ms / size) + unit;
  }
  return std::to_string(ms) + "ms";
}

std::string formatBytes(int64_t bytes) {
  if (bytes == 0) return "0";
  static constexpr std::pair<const char*, int> kUnits[] = {{"t", 40}, {"g", 30}, {"m", 20}, {"k", 10}};
  for (auto [unit, shift] : kUnits) {
    if (bytes % (int64_t{1} << shift) == 0) return std::to_string(bytes >> shift) + unit;
  }
  return std::to_string(bytes);
}

}  // namespace sluice
