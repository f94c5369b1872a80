// KafkaProducer: a librdkafka producer whose delivery reports are checked: send() queues a
// record, flush() waits until every queued record is acknowledged by its partition leader and
// returns the first delivery failure, naming the topic and partition. The Kafka sink of
// output operations (one per task) and sluice-kafka-mock's generated stream use it.
//
// THREADING: send() and flush() from one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "streaming/kafka/kafka_params.h"

namespace sluice::kafka {

class RdKafkaClient;

class KafkaProducer {
 public:
  // InvalidArgument for a bad or missing setting (bootstrap.servers).
  static StatusOr<std::unique_ptr<KafkaProducer>> open(const KafkaParams& params);
  ~KafkaProducer();

  // Queues value (with key, "" for none) for topic's partition picked by the key's hash
  // (partition < 0) or for partition. Waits while librdkafka's queue is full. A failure
  // (unknown topic, queue full for longer than timeout) names the topic.
  Status send(const std::string& topic, const std::string& key, const std::string& value, int32_t partition = -1,
              std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits for every queued record's delivery report; the first failed delivery (or Timeout).
  Status flush(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Records acknowledged so far.
  int64_t delivered() const;

  // What delivery reports said (librdkafka calls back on the thread in send()/flush()).
  struct Deliveries {
    std::string first_failure;
    int64_t delivered = 0;
  };

 private:
  KafkaProducer(std::unique_ptr<Deliveries> deliveries, std::unique_ptr<RdKafkaClient> client);

  std::unique_ptr<Deliveries> deliveries_;  // outlives client_
  std::unique_ptr<RdKafkaClient> client_;
};

}  // namespace sluice::kafka
