#include "streaming/kafka/direct_kafka_stream_core.h"

#include <spdlog/spdlog.h>

#include <regex>
#include <stdexcept>

#include "common/config_keys.h"
#include "common/serialize.h"
#include "wal/checkpoint_file.h"

namespace sluice::kafka {

namespace {
constexpr int kOffsetLogsKept = 3;
constexpr size_t kMaxLoggedBatches = 1000;  // batches that never report completion (a stopped run)
}  // namespace

StatusOr<std::unique_ptr<DirectKafkaStreamCore>> DirectKafkaStreamCore::create(int stream_id, KafkaParams params,
                                                                               Subscription subscription,
                                                                               const Conf& conf, Duration batch) {
  if (!subscription.pattern.empty()) {
    try {
      std::regex check(subscription.pattern);
    } catch (const std::regex_error& e) {
      return Status::invalidArgument("Kafka topic pattern '" + subscription.pattern + "' is not a regex: " + e.what());
    }
  } else if (subscription.topics.empty()) {
    return Status::invalidArgument("a direct Kafka stream needs at least one topic or a pattern");
  }
  RangeLimits limits{conf.get(keys::kStreamingKafkaMaxRatePerPartition),
                     conf.get(keys::kStreamingKafkaMinRatePerPartition)};
  auto planner = std::make_unique<KafkaRangePlanner>(params, std::move(subscription), limits,
                                                     conf.get(keys::kStreamingKafkaMetadataTimeout));
  std::optional<PIDRateEstimator> estimator;
  if (conf.get(keys::kStreamingBackpressureEnabled)) {
    auto created = PIDRateEstimator::create(PIDRateEstimatorParams::fromConf(conf, batch.ms));
    if (!created) return created.status();
    estimator.emplace(std::move(*created));
    planner->setRate(conf.get(keys::kStreamingBackpressureInitialRate));
  }
  int64_t poll_ms = conf.get(keys::kStreamingKafkaConsumerPollMs).count();
  return std::unique_ptr<DirectKafkaStreamCore>(
      new DirectKafkaStreamCore(stream_id, std::move(params), std::move(planner), std::move(estimator), poll_ms));
}

DirectKafkaStreamCore::DirectKafkaStreamCore(int stream_id, KafkaParams params,
                                             std::unique_ptr<KafkaRangePlanner> planner,
                                             std::optional<PIDRateEstimator> estimator, int64_t poll_ms)
    : stream_id_(stream_id),
      params_(std::move(params)),
      poll_ms_(poll_ms),
      planner_(std::move(planner)),
      estimator_(std::move(estimator)) {}

std::vector<OffsetRange> DirectKafkaStreamCore::rangesFor(Time t, int64_t interval_ms) {
  commitQueued();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto again = recovered_.find(t); again != recovered_.end()) {
      std::vector<OffsetRange> ranges = again->second;
      batches_[t] = ranges;
      recovered_.erase(again);
      spdlog::info("Kafka stream {}: batch {} re-runs on the {} offset ranges logged before the restart", stream_id_,
                   t, ranges.size());
      return ranges;
    }
  }
  std::map<TopicPartition, int64_t> before = planner_->positions();
  auto planned = planner_->plan(interval_ms);
  if (!planned) throw std::runtime_error(planned.status().message());
  {
    std::lock_guard<std::mutex> lock(mu_);
    batches_[t] = *planned;
    while (batches_.size() > kMaxLoggedBatches) batches_.erase(batches_.begin());
  }
  try {
    writeLog(t);
  } catch (...) {
    // The batch does not run: the next one reads its ranges.
    planner_->restore(std::move(before));
    std::lock_guard<std::mutex> lock(mu_);
    batches_.erase(t);
    throw;
  }
  for (const OffsetRange& r : *planned) spdlog::debug("Kafka stream {}: batch {} reads {}", stream_id_, t, r.describe());
  return *planned;
}

void DirectKafkaStreamCore::writeLog(Time t) {
  if (log_dir_.empty()) return;
  OffsetLog log;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [time, ranges] : batches_) log.batches[time] = ranges;
  }
  for (const auto& [tp, next] : planner_->positions()) log.positions[tp.topic][tp.partition] = next;
  wal::CheckpointFiles files(log_dir_, kOffsetLogsKept);
  // A batch whose ranges are not durable must not run: a restart would read other ranges.
  if (Status st = files.write(toBytes(log), t); !st) {
    throw std::runtime_error("cannot write the Kafka offset log in " + log_dir_ + ": " + st.message());
  }
}

std::vector<Time> DirectKafkaStreamCore::recoverFrom(const std::string& checkpoint_dir) {
  log_dir_ = checkpoint_dir + "/kafka/" + std::to_string(stream_id_);
  wal::CheckpointFiles files(log_dir_, kOffsetLogsKept);
  auto loaded = files.readLatest();
  if (!loaded) {
    if (loaded.status().code() != StatusCode::kNotFound) {
      throw std::runtime_error("cannot read the Kafka offset log in " + log_dir_ + ": " + loaded.status().message());
    }
    return {};
  }
  OffsetLog log;
  if (Status st = fromBytes(loaded->blob, log); !st || log.version != OffsetLog::kVersion) {
    throw std::runtime_error("the Kafka offset log in " + log_dir_ + " cannot be read" +
                             (st ? " (format version " + std::to_string(log.version) + ")" : ": " + st.message()));
  }
  std::map<TopicPartition, int64_t> positions;
  for (const auto& [topic, parts] : log.positions) {
    for (const auto& [partition, next] : parts) positions[{topic, partition}] = next;
  }
  planner_->restore(std::move(positions));
  std::vector<Time> rerun;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [t, ranges] : log.batches) {
    recovered_[t] = ranges;
    rerun.push_back(t);
  }
  spdlog::info("Kafka stream {}: offset log of batch {} read: {} batch(es) to re-run on their ranges, {} partitions "
               "continue where they were",
               stream_id_, loaded->time_ms, rerun.size(), log.positions.size());
  return rerun;
}

void DirectKafkaStreamCore::commitAsync(std::vector<OffsetRange> ranges) {
  std::lock_guard<std::mutex> lock(mu_);
  to_commit_.insert(to_commit_.end(), ranges.begin(), ranges.end());
}

void DirectKafkaStreamCore::commitQueued() {
  std::vector<OffsetRange> ranges;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ranges.swap(to_commit_);
  }
  if (ranges.empty()) return;
  if (Status st = planner_->commit(ranges); !st) spdlog::warn("Kafka stream {}: {}", stream_id_, st.message());
}

void DirectKafkaStreamCore::onBatchCompleted(const BatchInfo& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  // A batch whose output failed stays in the log: a restarted driver runs it again.
  bool failed = false;
  for (const auto& [id, op] : batch.output_ops) failed = failed || !op.failure.empty();
  if (!failed) batches_.erase(batch.batch_time);
  if (!estimator_) return;
  auto records = batch.records_per_stream.find(stream_id_);
  if (records == batch.records_per_stream.end()) return;
  auto rate = estimator_->compute(batch.processing_end_ms, records->second, batch.processingTimeMs(),
                                  batch.schedulingDelayMs());
  if (!rate) return;
  spdlog::debug("Kafka stream {}: backpressure rate {} records per second after batch {}", stream_id_,
                static_cast<int64_t>(*rate), batch.batch_time);
  planner_->setRate(static_cast<int64_t>(*rate));
}

}  // namespace sluice::kafka
