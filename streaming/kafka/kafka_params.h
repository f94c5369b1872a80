// KafkaParams: the client settings of a Kafka stream or sink, as librdkafka names them
// (bootstrap.servers, group.id, auto.offset.reset, security.protocol, ...; Spark's
// kafkaParams). A name may carry a leading "kafka." (as in --conf kafka.bootstrap.servers=...),
// which is dropped. Every conf value whose key starts with "kafka." is taken too, under the
// values the application gives.
#pragma once

#include <map>
#include <string>

#include "common/conf.h"

namespace sluice {

using KafkaParams = std::map<std::string, std::string>;

namespace kafka {

// The conf's kafka.* values, then params over them, each name without "kafka.".
KafkaParams resolveParams(const Conf& conf, const KafkaParams& params);

}  // namespace kafka
}  // namespace sluice
