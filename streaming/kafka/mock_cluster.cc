#include "streaming/kafka/mock_cluster.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace sluice::kafka {

struct MockKafkaCluster::Impl {
  rd_kafka_t* handle = nullptr;  // librdkafka's bookkeeping for the cluster
  rd_kafka_mock_cluster_t* cluster = nullptr;
  ~Impl() {
    if (cluster) rd_kafka_mock_cluster_destroy(cluster);
    if (handle) rd_kafka_destroy(handle);
  }
};

StatusOr<std::unique_ptr<MockKafkaCluster>> MockKafkaCluster::start(int num_brokers) {
  if (num_brokers < 1) return Status::invalidArgument("a mock Kafka cluster needs at least one broker");
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  auto impl = std::make_unique<Impl>();
  impl->handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  if (!impl->handle) {
    rd_kafka_conf_destroy(conf);
    return Status::internal(std::string("cannot create the mock cluster's client: ") + err);
  }
  impl->cluster = rd_kafka_mock_cluster_new(impl->handle, num_brokers);
  if (!impl->cluster) return Status::internal("librdkafka could not start a mock cluster");
  return std::unique_ptr<MockKafkaCluster>(new MockKafkaCluster(std::move(impl)));
}

MockKafkaCluster::MockKafkaCluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MockKafkaCluster::~MockKafkaCluster() = default;

std::string MockKafkaCluster::bootstrap() const { return rd_kafka_mock_cluster_bootstraps(impl_->cluster); }

Status MockKafkaCluster::createTopic(const std::string& topic, int partitions) {
  if (partitions < 1) return Status::invalidArgument("topic " + topic + " needs at least one partition");
  rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(impl_->cluster, topic.c_str(), partitions, 1);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::internal("cannot create topic " + topic + ": " + rd_kafka_err2str(e));
  }
  return Status::ok();
}

}  // namespace sluice::kafka
