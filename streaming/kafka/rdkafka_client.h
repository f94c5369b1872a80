// RdKafkaClient: one librdkafka handle (consumer or producer) made from KafkaParams, destroyed
// with the object. Only streaming/kafka's .cc files include this header (it pulls in
// rdkafka.h, which applications need not have).
//
// THREADING: librdkafka handles are thread-safe; this wrapper adds no state.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>

#include "common/status.h"
#include "streaming/kafka/kafka_params.h"

namespace sluice::kafka {

class RdKafkaClient {
 public:
  // A client of type with params (librdkafka names); overrides are set after params (the
  // settings a Sluice role must have, e.g. enable.auto.commit=false for a range reader).
  // A producer's delivery reports go to on_delivery with opaque (which must outlive the
  // client). InvalidArgument naming the setting librdkafka refuses; Internal when no handle
  // can be made.
  using DeliveryCallback = void (*)(rd_kafka_t*, const rd_kafka_message_t*, void*);
  static StatusOr<std::unique_ptr<RdKafkaClient>> open(rd_kafka_type_t type, const KafkaParams& params,
                                                       const KafkaParams& overrides = {},
                                                       DeliveryCallback on_delivery = nullptr, void* opaque = nullptr);
  ~RdKafkaClient();
  RdKafkaClient(const RdKafkaClient&) = delete;
  RdKafkaClient& operator=(const RdKafkaClient&) = delete;

  rd_kafka_t* get() const { return rk_; }
  // bootstrap.servers as given, for error messages.
  const std::string& servers() const { return servers_; }

 private:
  RdKafkaClient(rd_kafka_t* rk, std::string servers) : rk_(rk), servers_(std::move(servers)) {}
  rd_kafka_t* rk_;
  std::string servers_;
};

}  // namespace sluice::kafka
