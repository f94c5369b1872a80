#include "wal/wal_metrics.h"

namespace sluice::wal {

WalMetrics& walMetrics() {
  static WalMetrics metrics;
  return metrics;
}

}  // namespace sluice::wal

namespace sluice {

void writeWalMetrics(PrometheusText& out) {
  const wal::WalMetrics& m = wal::walMetrics();
  out.counter("sluice_wal_written_bytes_total", "Bytes of framed records appended to write-ahead log segments.",
              static_cast<double>(m.written_bytes.load()));
  out.counter("sluice_wal_fsyncs_total", "Successful fsyncs of write-ahead log segments.",
              static_cast<double>(m.fsyncs.load()));
}

}  // namespace sluice
