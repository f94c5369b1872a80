// The streaming metrics of the driver's GET /metrics (Prometheus text format), from a
// StreamingProgress snapshot:
//
//   sluice_streaming_batches_completed_total           counter
//   sluice_streaming_records_processed_total           counter  input records of completed batches
//   sluice_streaming_batches_active                    gauge    queued or running batches
//   sluice_streaming_batch_interval_seconds            gauge
//   sluice_streaming_last_batch_records                gauge    of the newest completed batch
//   sluice_streaming_last_batch_scheduling_delay_seconds, _processing_time_seconds,
//   sluice_streaming_last_batch_total_delay_seconds    gauges   of the newest completed batch
//   sluice_streaming_receivers_active                  gauge
//   sluice_streaming_receiver_records_total{stream_id,stream_name}   counter
//   sluice_streaming_receiver_records_per_second{stream_id,stream_name}  gauge: in the
//                                                      newest completed batch
//
// The last_batch gauges and receiver rates are absent until a batch completed.
#pragma once

#include "common/prometheus_text.h"
#include "streaming/streaming_progress.h"

namespace sluice {

void writeStreamingMetrics(PrometheusText& out, const StreamingProgress& p);

}  // namespace sluice
