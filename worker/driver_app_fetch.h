// Fetching a cluster-mode driver's application library from the master (FetchDriverApp,
// in chunks), as Spark's DriverRunner downloads the user jar.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "rpc/master_messages.h"
#include "rpc/transport.h"

namespace sluice::worker {

constexpr int64_t kDriverAppChunkBytes = int64_t{8} << 20;

// Writes the application of launch to path (through path + ".part", renamed when complete)
// and checks its size and XXH3-128 hash against launch.app_size / launch.app_hash (an empty
// hash is not checked). Blocks on transport.call(): never call it on the I/O thread.
// Returns Aborted as soon as *cancelled is seen set between chunks.
Status fetchDriverApp(rpc::Transport& transport, const rpc::Peer& master, const rpc::LaunchDriver& launch,
                      const std::string& path, std::chrono::milliseconds chunk_timeout,
                      const std::atomic<bool>& cancelled);

}  // namespace sluice::worker
