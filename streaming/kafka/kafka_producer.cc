#include "streaming/kafka/kafka_producer.h"

#include "streaming/kafka/rdkafka_client.h"

namespace sluice::kafka {

namespace {

void deliveryReport(rd_kafka_t* /*rk*/, const rd_kafka_message_t* m, void* opaque) {
  auto* d = static_cast<KafkaProducer::Deliveries*>(opaque);
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++d->delivered;
  } else if (d->first_failure.empty()) {
    d->first_failure = "Kafka: delivery to topic " + std::string(rd_kafka_topic_name(m->rkt)) + " partition " +
                       std::to_string(m->partition) + " failed: " + rd_kafka_err2str(m->err);
  }
}

}  // namespace

StatusOr<std::unique_ptr<KafkaProducer>> KafkaProducer::open(const KafkaParams& params) {
  auto deliveries = std::make_unique<Deliveries>();
  auto client = RdKafkaClient::open(RD_KAFKA_PRODUCER, params, {}, &deliveryReport, deliveries.get());
  if (!client) return client.status();
  return std::unique_ptr<KafkaProducer>(new KafkaProducer(std::move(deliveries), std::move(*client)));
}

KafkaProducer::KafkaProducer(std::unique_ptr<Deliveries> deliveries, std::unique_ptr<RdKafkaClient> client)
    : deliveries_(std::move(deliveries)), client_(std::move(client)) {}

int64_t KafkaProducer::delivered() const { return deliveries_->delivered; }

KafkaProducer::~KafkaProducer() {
  rd_kafka_flush(client_->get(), 5000);
}

Status KafkaProducer::send(const std::string& topic, const std::string& key, const std::string& value,
                           int32_t partition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    rd_kafka_resp_err_t e = rd_kafka_producev(
        client_->get(), RD_KAFKA_V_TOPIC(topic.c_str()),
        RD_KAFKA_V_PARTITION(partition < 0 ? RD_KAFKA_PARTITION_UA : partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_END);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL || std::chrono::steady_clock::now() > deadline) {
      return Status::unavailable("Kafka: cannot send to topic " + topic + ": " + rd_kafka_err2str(e));
    }
    rd_kafka_poll(client_->get(), 10);
  }
  rd_kafka_poll(client_->get(), 0);
  if (!deliveries_->first_failure.empty()) return Status::unavailable(deliveries_->first_failure);
  return Status::ok();
}

Status KafkaProducer::flush(std::chrono::milliseconds timeout) {
  rd_kafka_resp_err_t e = rd_kafka_flush(client_->get(), static_cast<int>(timeout.count()));
  if (!deliveries_->first_failure.empty()) return Status::unavailable(deliveries_->first_failure);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::timeout("Kafka: " + std::to_string(rd_kafka_outq_len(client_->get())) +
                           " record(s) not delivered to " + client_->servers() + " within " +
                           std::to_string(timeout.count()) + " ms: " + rd_kafka_err2str(e));
  }
  return Status::ok();
}

}  // namespace sluice::kafka
