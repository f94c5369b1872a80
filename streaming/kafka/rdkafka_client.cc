#include "streaming/kafka/rdkafka_client.h"

namespace sluice::kafka {

StatusOr<std::unique_ptr<RdKafkaClient>> RdKafkaClient::open(rd_kafka_type_t type, const KafkaParams& params,
                                                             const KafkaParams& overrides,
                                                             DeliveryCallback on_delivery, void* opaque) {
  KafkaParams all = params;
  for (const auto& [name, value] : overrides) all[name] = value;
  auto servers = all.find("bootstrap.servers");
  if (servers == all.end() || servers->second.empty()) {
    return Status::invalidArgument("Kafka: bootstrap.servers is not set (give it in the Kafka parameters or as "
                                   "--conf kafka.bootstrap.servers=host:port)");
  }
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // librdkafka's own log lines go to stderr; errors the client reports come back as values.
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  for (const auto& [name, value] : all) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Status::invalidArgument("Kafka parameter " + name + "=" + value + ": " + err);
    }
  }
  if (on_delivery) rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  if (opaque) rd_kafka_conf_set_opaque(conf, opaque);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof(err));
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    return Status::internal(std::string("cannot create a Kafka client: ") + err);
  }
  return std::unique_ptr<RdKafkaClient>(new RdKafkaClient(rk, servers->second));
}

RdKafkaClient::~RdKafkaClient() { rd_kafka_destroy(rk_); }

}  // namespace sluice::kafka
