#include "streaming/kafka/kafka_params.h"

namespace sluice::kafka {

namespace {
constexpr std::string_view kKafkaPrefix = "kafka.";

std::string withoutPrefix(const std::string& name) {
  return name.starts_with(kKafkaPrefix) ? name.substr(kKafkaPrefix.size()) : name;
}
}  // namespace

KafkaParams resolveParams(const Conf& conf, const KafkaParams& params) {
  KafkaParams out;
  for (const auto& [name, value] : conf.all()) {
    if (name.starts_with(kKafkaPrefix)) out[withoutPrefix(name)] = value;
  }
  for (const auto& [name, value] : params) out[withoutPrefix(name)] = value;
  return out;
}

}  // namespace sluice::kafka
