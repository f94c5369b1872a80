// Segment file names: "log-<seq>-<startMs>-<endMs>" (wal/FORMAT.md). seq orders segments
// in write order; every record in the segment was written with a time < endMs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::wal {

struct SegmentName {
  uint64_t seq = 0;
  int64_t start_ms = 0;
  int64_t end_ms = 0;

  std::string toString() const;
};

// nullopt for any name that is not exactly a segment name (temp files, "../x", ...).
std::optional<SegmentName> parseSegmentName(std::string_view name);

}  // namespace sluice::wal
