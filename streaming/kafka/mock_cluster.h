// MockKafkaCluster: librdkafka's built-in mock cluster (rdkafka_mock.h), N brokers that
// speak the Kafka protocol over TCP on 127.0.0.1 ports of their own, kept in this process.
// sluice-kafka-mock and the tests run it so that Kafka streams work without a Kafka
// installation. Records live in memory, and each partition keeps only about its last 5 MB
// (older records are deleted, as by retention); the cluster has no ACLs.
//
// THREADING: createTopic() and bootstrap() from any thread; the brokers run on
// librdkafka's threads until the object is destroyed.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace sluice::kafka {

class MockKafkaCluster {
 public:
  // Starts num_brokers (>= 1) brokers. Internal on librdkafka's failure.
  static StatusOr<std::unique_ptr<MockKafkaCluster>> start(int num_brokers);
  ~MockKafkaCluster();
  MockKafkaCluster(const MockKafkaCluster&) = delete;
  MockKafkaCluster& operator=(const MockKafkaCluster&) = delete;

  // "127.0.0.1:port,..." for bootstrap.servers.
  std::string bootstrap() const;
  // Creates topic with partitions (>= 1) partitions, each with one replica.
  Status createTopic(const std::string& topic, int partitions);

 private:
  struct Impl;
  explicit MockKafkaCluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::kafka
