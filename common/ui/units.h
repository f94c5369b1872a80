// Human units for the web UIs: counts with thousands separators, rates, durations and
// sizes as a person reads them ("19,094 records/s", "1.2 s", "512 MiB"), never raw doubles.
// Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::ui {

// 1234567 -> "1,234,567"; negative numbers keep their sign.
std::string formatCount(int64_t n);

// A per-second rate: at least 100 as a whole count with separators ("19,094 records/s"),
// below that with up to two decimals ("2.5 records/s", "0.25 records/s"); unit follows
// after a space. A negative or non-finite rate is "-".
std::string formatRate(double per_second, std::string_view unit = "records/s");

// A duration as Spark's UIUtils.formatDuration shows it: "350 ms", "1.2 s" (below 10 s),
// "42 s", "2.5 min", "1.3 h". A negative duration (not measured yet) is "-".
std::string formatDuration(int64_t ms);

// A short number for chart axes: "950", "19.1k", "2.3M"; fractions below 10 keep one
// decimal ("2.5").
std::string formatCompact(double v);

// Sizes: "512 B", "100.0 KiB", "1.5 GiB" (bytes); "512 MiB", "1.5 GiB" (mebibytes).
std::string formatBytes(int64_t bytes);
std::string formatMiB(int64_t mib);

// ms since the epoch as local "HH:MM:SS" (chart axes) and "YYYY/MM/DD HH:MM:SS" (tables,
// as Spark's batch times), with ".mmm" when with_ms (batch intervals under a second).
std::string formatClock(int64_t epoch_ms);
std::string formatTimestamp(int64_t epoch_ms, bool with_ms = false);

}  // namespace sluice::ui
