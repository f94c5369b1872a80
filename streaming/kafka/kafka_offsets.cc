#include "streaming/kafka/kafka_offsets.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include "streaming/kafka/rdkafka_client.h"

namespace sluice::kafka {

std::string Subscription::describe() const {
  if (!pattern.empty()) return "topics matching " + pattern;
  std::string out = "topic" + std::string(topics.size() == 1 ? " " : "s ");
  for (size_t i = 0; i < topics.size(); ++i) out += (i ? "," : "") + topics[i];
  return out;
}

StatusOr<std::unique_ptr<KafkaOffsets>> KafkaOffsets::open(const KafkaParams& params,
                                                           std::chrono::milliseconds timeout) {
  // The driver never consumes: it reads metadata and commits what the batches read.
  auto client = RdKafkaClient::open(RD_KAFKA_CONSUMER, params, {{"enable.auto.commit", "false"}});
  if (!client) return client.status();
  return std::unique_ptr<KafkaOffsets>(new KafkaOffsets(std::move(*client), timeout));
}

KafkaOffsets::KafkaOffsets(std::unique_ptr<RdKafkaClient> client, std::chrono::milliseconds timeout)
    : client_(std::move(client)), timeout_(timeout) {}
KafkaOffsets::~KafkaOffsets() = default;

StatusOr<std::vector<TopicPartition>> KafkaOffsets::partitions(const Subscription& subscription) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t e = rd_kafka_metadata(client_->get(), 1, nullptr, &md, static_cast<int>(timeout_.count()));
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::unavailable("Kafka: cannot read the metadata of " + subscription.describe() + " from " +
                               client_->servers() + " within " + std::to_string(timeout_.count()) +
                               " ms: " + rd_kafka_err2str(e));
  }
  std::set<std::string> wanted(subscription.topics.begin(), subscription.topics.end());
  std::optional<std::regex> pattern;
  if (!subscription.pattern.empty()) pattern.emplace(subscription.pattern);
  std::vector<TopicPartition> out;
  std::set<std::string> found;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = md->topics[i];
    std::string name = t.topic;
    bool match = pattern ? std::regex_match(name, *pattern) : wanted.count(name) > 0;
    if (!match || t.err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    found.insert(name);
    for (int p = 0; p < t.partition_cnt; ++p) out.push_back({name, t.partitions[p].id});
  }
  rd_kafka_metadata_destroy(md);
  for (const auto& topic : wanted) {
    if (!found.count(topic)) {
      return Status::notFound("Kafka: topic " + topic + " does not exist on " + client_->servers());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

StatusOr<Watermarks> KafkaOffsets::watermarks(const TopicPartition& tp) {
  Watermarks w;
  rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(client_->get(), tp.topic.c_str(), tp.partition, &w.low,
                                                           &w.high, static_cast<int>(timeout_.count()));
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::unavailable("Kafka: cannot read the offsets of topic " + tp.topic + " partition " +
                               std::to_string(tp.partition) + " from " + client_->servers() + ": " +
                               rd_kafka_err2str(e));
  }
  return w;
}

Status KafkaOffsets::commit(const std::vector<OffsetRange>& ranges) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(ranges.size()));
  for (const OffsetRange& r : ranges) {
    rd_kafka_topic_partition_list_add(list, r.topic.c_str(), r.partition)->offset = r.until;
  }
  rd_kafka_resp_err_t e = rd_kafka_commit(client_->get(), list, 0);
  std::string failed;
  for (int i = 0; e == RD_KAFKA_RESP_ERR_NO_ERROR && i < list->cnt; ++i) {
    if (list->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      failed = std::string(list->elems[i].topic) + " partition " + std::to_string(list->elems[i].partition) + ": " +
               rd_kafka_err2str(list->elems[i].err);
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return Status::unavailable(std::string("Kafka: commit failed: ") + rd_kafka_err2str(e));
  if (!failed.empty()) return Status::unavailable("Kafka: commit failed for topic " + failed);
  return Status::ok();
}

StatusOr<std::vector<int64_t>> KafkaOffsets::committed(const std::vector<TopicPartition>& partitions) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (const TopicPartition& tp : partitions) rd_kafka_topic_partition_list_add(list, tp.topic.c_str(), tp.partition);
  rd_kafka_resp_err_t e = rd_kafka_committed(client_->get(), list, static_cast<int>(timeout_.count()));
  std::vector<int64_t> out;
  for (int i = 0; e == RD_KAFKA_RESP_ERR_NO_ERROR && i < list->cnt; ++i) {
    out.push_back(list->elems[i].offset < 0 ? -1 : list->elems[i].offset);
  }
  rd_kafka_topic_partition_list_destroy(list);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::unavailable(std::string("Kafka: cannot read the committed offsets: ") + rd_kafka_err2str(e));
  }
  return out;
}

}  // namespace sluice::kafka
