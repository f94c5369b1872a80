#include "executor/task_context_impl.h"

#include <map>

#include "executor/executor.h"

namespace sluice {
using namespace std::chrono_literals;

const std::string& ExecutorTaskContext::executorId() const { return executor_.options_.executor_id; }

std::shared_ptr<const void> ExecutorTaskContext::getCachedPartition(int rdd_id, int split) {
  return executor_.blocks_->getPartition(rdd_id, split);
}

void ExecutorTaskContext::putCachedPartition(int rdd_id, int split, std::shared_ptr<const void> data,
                                             int64_t size) {
  executor_.blocks_->putPartition(rdd_id, split, std::move(data), size);
  cached_.emplace_back(rdd_id, split);
}

void ExecutorTaskContext::readShuffle(int shuffle_id, int reduce_id,
                                      FunctionRef<void(std::string_view)> on_block) {
  auto it = stage_.shuffle_inputs.find(shuffle_id);
  if (it == stage_.shuffle_inputs.end()) {
    throw std::runtime_error("task has no map output locations for shuffle " + std::to_string(shuffle_id));
  }
  // Group the map outputs by the executor that holds them: one request per executor.
  std::map<std::string, std::vector<const rpc::MapLocation*>> by_executor;
  for (const auto& loc : it->second) by_executor[loc.executor_id].push_back(&loc);
  const std::string& me = executorId();
  auto timeout = executor_.conf_.getDuration("shuffle.fetchTimeout", 30000ms);
  for (auto& [exec_id, locs] : by_executor) {
    if (exec_id == me) {
      for (const auto* loc : locs) {
        auto bucket = executor_.blocks_->getShuffleBucket(shuffle_id, loc->map_id, reduce_id);
        if (!bucket) throw FetchFailedError(shuffle_id, loc->map_id, exec_id, bucket.status().message());
        metrics().shuffle_bytes_read += static_cast<int64_t>(bucket->size());
        if (!bucket->empty()) on_block(*bucket);
      }
      continue;
    }
    rpc::FetchBlocks req{shuffle_id, reduce_id, {}};
    for (const auto* loc : locs) req.map_ids.push_back(loc->map_id);
    auto answer = executor_.transport_.call(rpc::Peer::dealer(locs.front()->endpoint), req, timeout);
    if (!answer) {
      throw FetchFailedError(shuffle_id, locs.front()->map_id, exec_id,
                             "cannot fetch shuffle blocks from executor " + exec_id + ": " + answer.status().message());
    }
    auto reply = rpc::decodeAs<rpc::FetchBlocksReply>(*answer);
    if (!reply || !reply->error.empty() || reply->blocks.size() != locs.size()) {
      int map_id = reply && reply->missing_map_id >= 0 ? reply->missing_map_id : locs.front()->map_id;
      std::string why = !reply ? reply.status().message() : reply->error;
      throw FetchFailedError(shuffle_id, map_id, exec_id, "executor " + exec_id + " could not serve shuffle blocks: " + why);
    }
    for (auto& block : reply->blocks) {
      metrics().shuffle_bytes_read += static_cast<int64_t>(block.size());
      metrics().shuffle_remote_bytes_read += static_cast<int64_t>(block.size());
      if (!block.empty()) on_block(block);
    }
  }
}

void ExecutorTaskContext::writeShuffle(int shuffle_id, int map_id, std::vector<std::string> buckets) {
  Status st = executor_.blocks_->putShuffleOutput(shuffle_id, map_id, std::move(buckets));
  if (!st) throw std::runtime_error(st.message());
}

std::shared_ptr<const std::string> ExecutorTaskContext::getBlock(const std::string& block_id) {
  return executor_.blocks_->getBlock(block_id);
}

std::shared_ptr<const std::string> ExecutorTaskContext::fetchRemoteBlock(const std::string& endpoint,
                                                                         const std::string& block_id) {
  return executor_.fetchRemoteBlock(endpoint, block_id);
}

std::shared_ptr<ReceiverSink> ExecutorTaskContext::openReceiver(int stream_id, int replication) {
  return executor_.openReceiver(stream_id, replication);
}

}  // namespace sluice
