#include "executor/task_context_impl.h"

#include "executor/block_manager.h"
#include "executor/receiver_host.h"
#include "executor/shuffle_client.h"

namespace sluice {

std::shared_ptr<const void> ExecutorTaskContext::getCachedPartition(int rdd_id, int split) {
  return services_.blocks->getPartition(rdd_id, split);
}

void ExecutorTaskContext::putCachedPartition(int rdd_id, int split, std::shared_ptr<const void> data,
                                             int64_t size) {
  services_.blocks->putPartition(rdd_id, split, std::move(data), size);
  cached_.emplace_back(rdd_id, split);
}

void ExecutorTaskContext::readShuffle(int shuffle_id, int reduce_id,
                                      FunctionRef<void(std::string_view)> on_block) {
  auto it = stage_.shuffle_inputs.find(shuffle_id);
  if (it == stage_.shuffle_inputs.end()) {
    throw std::runtime_error("task has no map output locations for shuffle " + std::to_string(shuffle_id));
  }
  services_.shuffle->readShuffle(shuffle_id, reduce_id, it->second, on_block, metrics());
}

void ExecutorTaskContext::writeShuffle(int shuffle_id, int map_id, std::vector<std::string> buckets) {
  Status st = services_.blocks->putShuffleOutput(shuffle_id, map_id, std::move(buckets));
  if (!st) throw std::runtime_error(st.message());
}

std::shared_ptr<const std::string> ExecutorTaskContext::getBlock(const std::string& block_id) {
  return services_.blocks->getBlock(block_id);
}

std::shared_ptr<const std::string> ExecutorTaskContext::fetchRemoteBlock(const std::string& endpoint,
                                                                         const std::string& block_id) {
  return services_.shuffle->fetchBlock(endpoint, block_id);
}

std::shared_ptr<ReceiverSink> ExecutorTaskContext::openReceiver(int stream_id, int replication) {
  return services_.receivers ? services_.receivers->openReceiver(stream_id, replication) : nullptr;
}

}  // namespace sluice
