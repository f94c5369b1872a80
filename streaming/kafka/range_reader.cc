#include "streaming/kafka/range_reader.h"

#include "streaming/kafka/rdkafka_client.h"

namespace sluice::kafka {

namespace {

std::string where(const OffsetRange& r) {
  return "Kafka topic " + r.topic + " partition " + std::to_string(r.partition) + " offsets [" +
         std::to_string(r.from) + ", " + std::to_string(r.until) + ")";
}

}  // namespace

Status readRange(const KafkaParams& params, const OffsetRange& range, std::chrono::milliseconds poll_timeout,
                 FunctionRef<void(std::string&&, std::string&&)> on_record) {
  if (range.count() <= 0) return Status::ok();
  // auto.offset.reset=error: a range that retention removed must fail the task, never be
  // read from elsewhere (Spark's KafkaRDD sets "none").
  // librdkafka's assign() needs a group handle; a reader never joins or commits to it.
  KafkaParams reader = params;
  reader.emplace("group.id", "sluice-direct-stream");
  auto client = RdKafkaClient::open(RD_KAFKA_CONSUMER, reader,
                                    {{"enable.auto.commit", "false"},
                                     {"enable.auto.offset.store", "false"},
                                     {"auto.offset.reset", "error"},
                                     {"enable.partition.eof", "false"}});
  if (!client) return client.status();
  rd_kafka_t* rk = (*client)->get();
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(assignment, range.topic.c_str(), range.partition)->offset = range.from;
  rd_kafka_resp_err_t e = rd_kafka_assign(rk, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return Status::unavailable("cannot read " + where(range) + ": " + rd_kafka_err2str(e));
  // Errors librdkafka retries by itself (a broker reconnecting) are tolerated until no
  // record came for poll_timeout; the last one is then named.
  using Clock = std::chrono::steady_clock;
  Status result = Status::ok();
  std::string last_error;
  int64_t next = range.from;
  auto deadline = Clock::now() + poll_timeout;
  while (next < range.until) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    rd_kafka_message_t* m = left.count() > 0 ? rd_kafka_consumer_poll(rk, static_cast<int>(left.count())) : nullptr;
    if (!m) {
      result = Status::timeout("no record of " + where(range) + " came from " + (*client)->servers() + " within " +
                               std::to_string(poll_timeout.count()) + " ms (streaming.kafka.consumer.poll.ms); offset " +
                               std::to_string(next) + " was next" + (last_error.empty() ? "" : "; last error: " + last_error));
      break;
    }
    if (m->err) {
      last_error = rd_kafka_message_errstr(m);
      bool gone = m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET || m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE;
      rd_kafka_message_destroy(m);
      if (gone) {
        result = Status::notFound(where(range) + ": offset " + std::to_string(next) +
                                  " is not on the brokers (removed by retention, or past the latest offset): " + last_error);
        break;
      }
      continue;
    }
    int64_t offset = m->offset;
    if (offset >= range.from && offset < range.until) {
      std::string key = m->key ? std::string(static_cast<const char*>(m->key), m->key_len) : std::string();
      std::string value = m->payload ? std::string(static_cast<const char*>(m->payload), m->len) : std::string();
      on_record(std::move(key), std::move(value));
    }
    next = offset + 1;
    deadline = Clock::now() + poll_timeout;
    rd_kafka_message_destroy(m);
  }
  rd_kafka_assign(rk, nullptr);
  return result;
}

}  // namespace sluice::kafka
