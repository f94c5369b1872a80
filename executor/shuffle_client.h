// ShuffleClient: an executor's client of the other executors' block servers (Spark's
// ShuffleClient / BlockTransferService): reads the map output buckets a reduce task needs,
// locally when this executor holds them, else with one FetchBlocks request per executor;
// and fetches received stream blocks (FetchStreamBlock) that another executor holds.
//
// THREADING: thread-safe. Both calls run on task threads and block until the answer or the
// timeout; never call them from the transport's I/O thread (see rpc/transport.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/conf.h"
#include "executor/block_manager.h"
#include "rdd/function_ref.h"
#include "rdd/task_context.h"
#include "rpc/executor_messages.h"
#include "rpc/transport.h"

namespace sluice {

class ShuffleClient {
 public:
  // blocks, transport and conf must outlive the client; conf (the application's, set once
  // the executor is registered) is read at each fetch for shuffle.fetchTimeout.
  ShuffleClient(std::string executor_id, BlockManager& blocks, rpc::Transport& transport, const Conf& conf);

  // Streams the bucket reduce_id of every map output of shuffle_id at locations to
  // on_block (empty buckets skipped), and counts the bytes read in metrics. Throws
  // FetchFailedError naming the map output that could not be read and its executor.
  void readShuffle(int shuffle_id, int reduce_id, const std::vector<rpc::MapLocation>& locations,
                   FunctionRef<void(std::string_view)> on_block, TaskMetrics& metrics);

  // A received block held by the executor whose block server is at endpoint; null when
  // that executor does not have it or cannot be reached (one warn line).
  std::shared_ptr<const std::string> fetchBlock(const std::string& endpoint, const std::string& block_id);

 private:
  const std::string executor_id_;
  BlockManager& blocks_;
  rpc::Transport& transport_;
  const Conf& conf_;
};

}  // namespace sluice
