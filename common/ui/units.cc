#include "common/ui/units.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace sluice::ui {
namespace {

std::string printf1(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// "2.50" -> "2.5", "3.00" -> "3".
std::string trimZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string localTime(int64_t epoch_ms, const char* format) {
  std::time_t secs = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace

std::string formatCount(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -static_cast<uint64_t>(n) : static_cast<uint64_t>(n));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string formatRate(double per_second, std::string_view unit) {
  if (!std::isfinite(per_second) || per_second < 0) return "-";
  std::string number = per_second >= 100 ? formatCount(std::llround(per_second))
                                         : trimZeros(printf1("%.2f", per_second));
  return unit.empty() ? number : number + " " + std::string(unit);
}

std::string formatDuration(int64_t ms) {
  if (ms < 0) return "-";
  if (ms < 1000) return std::to_string(ms) + " ms";
  double seconds = static_cast<double>(ms) / 1000.0;
  if (seconds < 10) return printf1("%.1f s", seconds);
  if (seconds < 60) return printf1("%.0f s", seconds);
  double minutes = seconds / 60.0;
  if (minutes < 60) return printf1("%.1f min", minutes);
  return printf1("%.1f h", minutes / 60.0);
}

std::string formatCompact(double v) {
  if (!std::isfinite(v)) return "-";
  double a = std::fabs(v);
  if (a >= 1e9) return trimZeros(printf1("%.1f", v / 1e9)) + "G";
  if (a >= 1e6) return trimZeros(printf1("%.1f", v / 1e6)) + "M";
  if (a >= 1e4) return trimZeros(printf1("%.1f", v / 1e3)) + "k";
  if (a >= 10 || a == 0) return printf1("%.0f", v);
  return trimZeros(printf1("%.1f", v));
}

std::string formatBytes(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = -1;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  return printf1("%.1f ", v) + units[u];
}

std::string formatMiB(int64_t mib) {
  if (mib < 1024) return std::to_string(mib) + " MiB";
  return formatBytes(mib * 1024 * 1024);
}

std::string formatClock(int64_t epoch_ms) { return localTime(epoch_ms, "%H:%M:%S"); }
std::string formatTimestamp(int64_t epoch_ms, bool with_ms) {
  std::string out = localTime(epoch_ms, "%Y/%m/%d %H:%M:%S");
  if (!with_ms) return out;
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03d", static_cast<int>(((epoch_ms % 1000) + 1000) % 1000));
  return out + ms;
}

}  // namespace sluice::ui
