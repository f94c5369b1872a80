// A mock Kafka cluster in the test process (librdkafka's, over real TCP) and a producer that
// puts numbered records on given partitions.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "streaming/kafka/kafka_producer.h"
#include "streaming/kafka/mock_cluster.h"

namespace sluice::testing {

inline std::unique_ptr<kafka::MockKafkaCluster> startMockKafka(const std::string& topic, int partitions,
                                                               int brokers = 1) {
  auto cluster = kafka::MockKafkaCluster::start(brokers);
  REQUIRE(cluster.isOk());
  REQUIRE((*cluster)->createTopic(topic, partitions).isOk());
  return std::move(*cluster);
}

// Sends records "r<first>" .. "r<first + count - 1>" round-robin over the partitions (record
// i to partition i % partitions), each keyed "k<i>", and waits until all are acknowledged.
inline void produceNumbered(const std::string& bootstrap, const std::string& topic, int partitions, int first,
                            int count) {
  auto producer = kafka::KafkaProducer::open({{"bootstrap.servers", bootstrap}});
  REQUIRE(producer.isOk());
  for (int i = first; i < first + count; ++i) {
    REQUIRE((*producer)->send(topic, "k" + std::to_string(i), "r" + std::to_string(i), i % partitions).isOk());
  }
  REQUIRE((*producer)->flush().isOk());
}

}  // namespace sluice::testing
