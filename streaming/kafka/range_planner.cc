#include "streaming/kafka/range_planner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace sluice::kafka {

KafkaRangePlanner::KafkaRangePlanner(KafkaParams params, Subscription subscription, RangeLimits limits,
                                     std::chrono::milliseconds metadata_timeout)
    : params_(std::move(params)),
      subscription_(std::move(subscription)),
      limits_(limits),
      metadata_timeout_(metadata_timeout) {}

KafkaRangePlanner::~KafkaRangePlanner() = default;

Status KafkaRangePlanner::connect() {
  if (offsets_) return Status::ok();
  auto opened = KafkaOffsets::open(params_, metadata_timeout_);
  if (!opened) return opened.status();
  offsets_ = std::move(*opened);
  return Status::ok();
}

std::map<TopicPartition, int64_t> KafkaRangePlanner::caps(const std::map<TopicPartition, int64_t>& lag,
                                                          int64_t interval_ms) const {
  std::map<TopicPartition, int64_t> out;
  int64_t rate = rate_.load();
  if (rate <= 0 && limits_.max_rate_per_partition <= 0) return out;
  int64_t total_lag = 0;
  for (const auto& [tp, n] : lag) total_lag += n;
  double seconds = static_cast<double>(interval_ms) / 1000.0;
  for (const auto& [tp, n] : lag) {
    double per_partition = static_cast<double>(limits_.max_rate_per_partition);
    if (rate > 0 && total_lag > 0) {
      // Spark's share of the backpressure rate: by each partition's lag.
      double share = static_cast<double>(n) / static_cast<double>(total_lag) * static_cast<double>(rate);
      per_partition = limits_.max_rate_per_partition > 0 ? std::min(share, per_partition) : share;
      per_partition = std::max(per_partition, static_cast<double>(limits_.min_rate_per_partition));
    }
    out[tp] = std::max<int64_t>(1, static_cast<int64_t>(std::floor(per_partition * seconds)));
  }
  return out;
}

StatusOr<std::vector<OffsetRange>> KafkaRangePlanner::plan(int64_t interval_ms) {
  if (Status st = connect(); !st) return st;
  auto partitions = offsets_->partitions(subscription_);
  if (!partitions) return partitions.status();
  bool first_batch = positions_.empty();
  auto reset = params_.find("auto.offset.reset");
  bool from_earliest = reset != params_.end() && (reset->second == "earliest" || reset->second == "smallest" ||
                                                  reset->second == "beginning");
  std::map<TopicPartition, int64_t> from, latest, lag;
  for (const TopicPartition& tp : *partitions) {
    auto marks = offsets_->watermarks(tp);
    if (!marks) return marks.status();
    auto known = positions_.find(tp);
    if (known != positions_.end()) {
      from[tp] = known->second;
    } else {
      from[tp] = first_batch && !from_earliest ? marks->high : marks->low;
      if (!first_batch) spdlog::info("Kafka: new partition {} read from offset {}", tp.describe(), from[tp]);
    }
    latest[tp] = std::max(marks->high, from[tp]);
    lag[tp] = latest[tp] - from[tp];
  }
  std::map<TopicPartition, int64_t> cap = caps(lag, interval_ms);
  std::vector<OffsetRange> ranges;
  for (const auto& [tp, start] : from) {
    int64_t until = latest[tp];
    if (auto c = cap.find(tp); c != cap.end()) until = std::min(until, start + c->second);
    ranges.push_back({tp.topic, tp.partition, start, until});
    positions_[tp] = until;
  }
  return ranges;
}

Status KafkaRangePlanner::commit(const std::vector<OffsetRange>& ranges) {
  if (Status st = connect(); !st) return st;
  return offsets_->commit(ranges);
}

}  // namespace sluice::kafka
