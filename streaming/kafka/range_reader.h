// readRange: the executor side of a direct Kafka stream (Spark's KafkaRDD iterator): one
// consumer assigned to one partition at the range's first offset (no consumer group, no
// rebalancing), read until the range's end. Offsets past the range are never handed on, so a
// batch reads exactly its range however often it is re-run.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"
#include "rdd/function_ref.h"
#include "streaming/kafka/kafka_params.h"
#include "streaming/kafka/offset_range.h"

namespace sluice::kafka {

// Calls on_record(key, value) for every record of range, in offset order. Errors name the
// topic and partition: NotFound when the range's first offsets are gone from the brokers
// (retention), Timeout when no record came for poll_timeout, Unavailable for other broker
// errors, InvalidArgument for bad params.
Status readRange(const KafkaParams& params, const OffsetRange& range, std::chrono::milliseconds poll_timeout,
                 FunctionRef<void(std::string&&, std::string&&)> on_record);

}  // namespace sluice::kafka
