#include "executor/shuffle_client.h"

#include <map>

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "rpc/streaming_messages.h"

namespace sluice {
using namespace std::chrono_literals;

ShuffleClient::ShuffleClient(std::string executor_id, BlockManager& blocks, rpc::Transport& transport,
                             const Conf& conf)
    : executor_id_(std::move(executor_id)), blocks_(blocks), transport_(transport), conf_(conf) {}

void ShuffleClient::readShuffle(int shuffle_id, int reduce_id, const std::vector<rpc::MapLocation>& locations,
                                FunctionRef<void(std::string_view)> on_block, TaskMetrics& metrics) {
  // Group the map outputs by the executor that holds them: one request per executor.
  std::map<std::string, std::vector<const rpc::MapLocation*>> by_executor;
  for (const auto& loc : locations) by_executor[loc.executor_id].push_back(&loc);
  auto timeout = conf_.get(keys::kShuffleFetchTimeout);
  for (auto& [exec_id, locs] : by_executor) {
    if (exec_id == executor_id_) {
      for (const auto* loc : locs) {
        auto bucket = blocks_.getShuffleBucket(shuffle_id, loc->map_id, reduce_id);
        if (!bucket) throw FetchFailedError(shuffle_id, loc->map_id, exec_id, bucket.status().message());
        metrics.shuffle_bytes_read += static_cast<int64_t>(bucket->size());
        if (!bucket->empty()) on_block(*bucket);
      }
      continue;
    }
    rpc::FetchBlocks req{shuffle_id, reduce_id, {}};
    for (const auto* loc : locs) req.map_ids.push_back(loc->map_id);
    auto answer = transport_.call(rpc::Peer::dealer(locs.front()->endpoint), req, timeout);
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
      metrics.shuffle_bytes_read += static_cast<int64_t>(block.size());
      metrics.shuffle_remote_bytes_read += static_cast<int64_t>(block.size());
      if (!block.empty()) on_block(block);
    }
  }
}

std::shared_ptr<const std::string> ShuffleClient::fetchBlock(const std::string& endpoint,
                                                             const std::string& block_id) {
  auto answer = transport_.call(rpc::Peer::dealer(endpoint), rpc::FetchStreamBlock{block_id}, 30s);
  if (!answer) {
    spdlog::warn("cannot fetch block {} from {}: {}", block_id, endpoint, answer.status().message());
    return nullptr;
  }
  auto reply = rpc::decodeAs<rpc::FetchStreamBlockReply>(*answer);
  if (!reply || !reply->found) return nullptr;
  return std::make_shared<const std::string>(std::move(reply->bytes));
}

}  // namespace sluice
