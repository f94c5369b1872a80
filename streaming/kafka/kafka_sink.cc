#include "streaming/kafka/kafka_sink.h"

#include <stdexcept>

#include "streaming/kafka/kafka_producer_pool.h"

namespace sluice::kafka {

KafkaProducerPool& KafkaProducerPool::instance() {
  static KafkaProducerPool* pool = new KafkaProducerPool();  // lives until exit: tasks may run late
  return *pool;
}

StatusOr<std::unique_ptr<KafkaProducer>> KafkaProducerPool::take(const KafkaParams& params) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = free_.find(params);
    if (it != free_.end() && !it->second.empty()) {
      auto producer = std::move(it->second.back());
      it->second.pop_back();
      return producer;
    }
  }
  return KafkaProducer::open(params);
}

void KafkaProducerPool::give(const KafkaParams& params, std::unique_ptr<KafkaProducer> producer) {
  std::lock_guard<std::mutex> lock(mu_);
  free_[params].push_back(std::move(producer));
}

int64_t writePartition(const KafkaSinkSpec& spec, FunctionRef<void(SendRecord)> records) {
  KafkaProducerPool& pool = KafkaProducerPool::instance();
  auto producer = pool.take(spec.params);
  if (!producer) throw std::runtime_error(producer.status().message());
  int64_t before = (*producer)->delivered();
  int64_t queued = 0;
  records([&](const std::string& key, const std::string& value) {
    Status st = (*producer)->send(spec.topic, key, value);
    if (!st) throw std::runtime_error(st.message());
    ++queued;
  });
  if (Status st = (*producer)->flush(); !st) throw std::runtime_error(st.message());
  int64_t delivered = (*producer)->delivered() - before;
  if (delivered != queued) {
    throw std::runtime_error("Kafka: " + std::to_string(queued - delivered) + " of " + std::to_string(queued) +
                             " records to topic " + spec.topic + " have no delivery report");
  }
  pool.give(spec.params, std::move(*producer));
  return delivered;
}

}  // namespace sluice::kafka
