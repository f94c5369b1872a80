#include "streaming/ui/streaming_rest.h"

#include <ctime>

namespace sluice {
namespace {

using nlohmann::json;

json orNull(int64_t v) { return v >= 0 ? json(v) : json(nullptr); }

const char* statusOf(const BatchInfo& b) {
  if (b.processing_end_ms >= 0) return "COMPLETED";
  return b.processing_start_ms >= 0 ? "PROCESSING" : "QUEUED";
}

// The interval batch b covered: its own (adaptive intervals vary), else the context's.
int64_t intervalOf(const BatchInfo& b, const StreamingProgress& p) {
  return b.interval_ms > 0 ? b.interval_ms : p.batch_duration_ms;
}

json batchJson(const BatchInfo& b, int64_t batch_duration_ms) {
  int active = 0, completed = 0, failed = 0;
  json first_failure = nullptr;
  for (const auto& [id, op] : b.output_ops) {
    if (op.end_ms < 0) {
      ++active;
    } else if (op.failure.empty()) {
      ++completed;
    } else {
      ++failed;
      if (first_failure.is_null()) first_failure = op.failure;
    }
  }
  return {{"batchId", b.batch_time},
          {"batchTime", sparkDate(b.batch_time)},
          {"status", statusOf(b)},
          {"batchDuration", batch_duration_ms},
          {"inputSize", b.num_records},
          {"schedulingDelay", orNull(b.schedulingDelayMs())},
          {"processingTime", orNull(b.processingTimeMs())},
          {"totalDelay", orNull(b.totalDelayMs())},
          {"numActiveOutputOps", active},
          {"numCompletedOutputOps", completed},
          {"numFailedOutputOps", failed},
          {"numTotalOutputOps", b.output_ops.size()},
          {"firstFailureReason", first_failure},
          {"tasksByLocality", b.tasks_by_locality}};
}

// Newest first, as Spark lists them.
std::vector<const BatchInfo*> allBatches(const StreamingProgress& p) {
  std::vector<const BatchInfo*> all;
  for (const auto& b : p.active) all.push_back(&b);
  for (const auto& b : p.completed) all.push_back(&b);
  std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->batch_time > b->batch_time; });
  return all;
}

const BatchInfo* findBatch(const StreamingProgress& p, int64_t id) {
  for (const auto* b : allBatches(p))
    if (b->batch_time == id) return b;
  return nullptr;
}

// The mean of the values that are set (>= 0), or null.
template <class F>
json average(const std::vector<BatchInfo>& batches, F value) {
  double sum = 0;
  int n = 0;
  for (const auto& b : batches) {
    auto v = value(b);
    if (v < 0) continue;
    sum += static_cast<double>(v);
    ++n;
  }
  return n ? json(sum / n) : json(nullptr);
}

}  // namespace

json streamingStatistics(const StreamingProgress& p) {
  int active_receivers = 0;
  int64_t received = 0;
  for (const auto& r : p.receivers) {
    active_receivers += r.active ? 1 : 0;
    received += r.records;
  }
  int64_t queued = 0;  // generated, no job started yet
  for (const auto& b : p.active) queued += b.processing_start_ms < 0 ? 1 : 0;
  auto avg_ms = [](json v) { return v.is_null() ? v : json(static_cast<int64_t>(v.get<double>())); };
  return {{"startTime", sparkDate(p.start_ms)},
          {"batchDuration", p.batch_duration_ms},
          // Not in Spark's API: whether batchDuration is adaptive (then the next batch's).
          {"adaptiveBatchDuration", p.adaptive_interval},
          {"numReceivers", p.receivers.size()},
          {"numActiveReceivers", active_receivers},
          {"numInactiveReceivers", static_cast<int>(p.receivers.size()) - active_receivers},
          {"numTotalCompletedBatches", p.num_total_completed},
          {"numRetainedCompletedBatches", p.completed.size()},
          {"numActiveBatches", p.active.size()},
          {"numProcessedRecords", p.num_total_processed_records},
          {"numReceivedRecords", received},
          {"avgInputRate", average(p.completed, [&](const BatchInfo& b) {
             return static_cast<int64_t>(static_cast<double>(b.num_records) * 1000.0 /
                                         static_cast<double>(intervalOf(b, p)));
           })},
          {"avgSchedulingDelay", avg_ms(average(p.completed, [](const BatchInfo& b) { return b.schedulingDelayMs(); }))},
          {"avgProcessingTime", avg_ms(average(p.completed, [](const BatchInfo& b) { return b.processingTimeMs(); }))},
          {"avgTotalDelay", avg_ms(average(p.completed, [](const BatchInfo& b) { return b.totalDelayMs(); }))},
          // Sluice's additions: the load (OverloadDetector) and what a stop left undone.
          {"numQueuedBatches", queued},
          {"isOverloaded", p.overload.overloaded},
          {"consecutiveOverloadedBatches", p.overload.consecutive_overloaded},
          {"numOverloadWarnings", p.overload.warnings},
          {"numDroppedBatches", p.num_dropped_batches}};
}

json streamingBatches(const StreamingProgress& p, const std::string& status_filter) {
  json out = json::array();
  for (const auto* b : allBatches(p))
    if (status_filter.empty() || status_filter == statusOf(*b)) out.push_back(batchJson(*b, intervalOf(*b, p)));
  return out;
}

std::optional<json> streamingBatch(const StreamingProgress& p, int64_t batch_id) {
  const BatchInfo* b = findBatch(p, batch_id);
  if (!b) return std::nullopt;
  return batchJson(*b, intervalOf(*b, p));
}

std::optional<json> streamingOperations(const StreamingProgress& p, int64_t batch_id) {
  const BatchInfo* b = findBatch(p, batch_id);
  if (!b) return std::nullopt;
  json out = json::array();
  for (const auto& [id, op] : b->output_ops) {
    out.push_back({{"outputOpId", id},
                   {"name", op.name},
                   {"description", op.description},
                   {"startTime", op.start_ms >= 0 ? json(sparkDate(op.start_ms)) : json(nullptr)},
                   {"endTime", op.end_ms >= 0 ? json(sparkDate(op.end_ms)) : json(nullptr)},
                   {"duration", orNull(op.durationMs())},
                   {"failureReason", op.failure.empty() ? json(nullptr) : json(op.failure)}});
  }
  return out;
}

json streamingReceivers(const StreamingProgress& p) {
  json out = json::array();
  for (const auto& r : p.receivers) {
    json rates = json::array();
    double sum = 0;
    for (const auto& b : p.completed) {
      auto it = b.records_per_stream.find(r.stream_id);
      double seconds = static_cast<double>(intervalOf(b, p)) / 1000.0;
      double rate = it == b.records_per_stream.end() ? 0.0 : static_cast<double>(it->second) / seconds;
      rates.push_back({b.batch_time, rate});
      sum += rate;
    }
    out.push_back({{"streamId", r.stream_id},
                   {"streamName", r.name},
                   {"isActive", r.active},
                   {"executorId", r.executor_id.empty() ? json(nullptr) : json(r.executor_id)},
                   {"executorHost", r.host.empty() ? json(nullptr) : json(r.host)},
                   {"lastErrorTime", r.last_error_ms >= 0 ? json(sparkDate(r.last_error_ms)) : json(nullptr)},
                   {"lastErrorMessage", r.last_error.empty() ? json(nullptr) : json(r.last_error)},
                   {"lastError", r.last_error.empty() ? json(nullptr) : json(r.last_error)},
                   // Not in Spark's API: the records per second the receiver is held to
                   // (streaming.receiver.maxRate, backpressure), null when unlimited.
                   {"currentRateLimit", r.rate_limit > 0 ? json(r.rate_limit) : json(nullptr)},
                   {"avgEventRate", rates.empty() ? json(nullptr) : json(sum / static_cast<double>(rates.size()))},
                   {"eventRates", rates}});
  }
  return out;
}

std::optional<json> streamingReceiver(const StreamingProgress& p, int stream_id) {
  for (json& r : streamingReceivers(p)) {
    if (r["streamId"] == stream_id) return std::move(r);
  }
  return std::nullopt;
}

}  // namespace sluice
