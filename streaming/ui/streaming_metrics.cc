#include "streaming/ui/streaming_metrics.h"

#include <string>

namespace sluice {

void writeStreamingMetrics(PrometheusText& out, const StreamingProgress& p) {
  auto d = [](int64_t v) { return static_cast<double>(v); };
  out.counter("sluice_streaming_batches_completed_total", "Batches whose output operations all ended.",
              d(p.num_total_completed));
  out.counter("sluice_streaming_records_processed_total", "Input records of the completed batches.",
              d(p.num_total_processed_records));
  out.gauge("sluice_streaming_batches_active", "Batches queued or running.", d(static_cast<int64_t>(p.active.size())));
  const double interval_s = d(p.batch_duration_ms) / 1000.0;
  out.gauge("sluice_streaming_batch_interval_seconds", "The batch interval.", interval_s);
  const BatchInfo* last = nullptr;  // the newest completed batch
  for (const auto& b : p.completed) {
    if (!last || b.batch_time > last->batch_time) last = &b;
  }
  if (last) {
    out.gauge("sluice_streaming_last_batch_records", "Input records of the newest completed batch.",
              d(last->num_records));
    out.gauge("sluice_streaming_last_batch_scheduling_delay_seconds",
              "Scheduling delay of the newest completed batch.", d(last->schedulingDelayMs()) / 1000.0);
    out.gauge("sluice_streaming_last_batch_processing_time_seconds",
              "Processing time of the newest completed batch.", d(last->processingTimeMs()) / 1000.0);
    out.gauge("sluice_streaming_last_batch_total_delay_seconds", "Total delay of the newest completed batch.",
              d(last->totalDelayMs()) / 1000.0);
  }
  int active = 0;
  for (const auto& r : p.receivers) active += r.active ? 1 : 0;
  out.gauge("sluice_streaming_receivers_active", "Receivers running now.", active);
  for (const auto& r : p.receivers) {
    PrometheusText::Labels labels = {{"stream_id", std::to_string(r.stream_id)}, {"stream_name", r.name}};
    out.counter("sluice_streaming_receiver_records_total", "Records the receiver stored.", d(r.records), labels);
    if (last && interval_s > 0) {
      auto it = last->records_per_stream.find(r.stream_id);
      double records = it == last->records_per_stream.end() ? 0.0 : d(it->second);
      out.gauge("sluice_streaming_receiver_records_per_second",
                "Input rate of the receiver's stream in the newest completed batch.", records / interval_s, labels);
    }
  }
}

}  // namespace sluice
