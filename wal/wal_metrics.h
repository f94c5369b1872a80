// WalMetrics: what every write-ahead log of this process wrote, for /metrics
// (sluice_wal_written_bytes_total, sluice_wal_fsyncs_total). Counted by SegmentWriter, so
// the driver's metadata log and, in local mode, the in-process executor's receiver logs
// all add up here.
//
// THREADING: the counters are atomics; read them at any time.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/prometheus_text.h"

namespace sluice::wal {

struct WalMetrics {
  std::atomic<uint64_t> written_bytes{0};  // framed record bytes appended to segment files
  std::atomic<uint64_t> fsyncs{0};         // successful syncs of a segment file
};

// The process's counters; they live as long as the process.
WalMetrics& walMetrics();

}  // namespace sluice::wal

namespace sluice {

// sluice_wal_written_bytes_total and sluice_wal_fsyncs_total, from walMetrics().
void writeWalMetrics(PrometheusText& out);

}  // namespace sluice
