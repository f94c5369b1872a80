// readBlockFromWal: the executor side of Spark's WriteAheadLogBackedBlockRDD — reads a
// received block back from the receiver WAL by its handle, when no executor holds it any
// more (its executor died, or a restarted driver replays it).
#pragma once

#include <string>

#include "common/status.h"
#include "wal/record_handle.h"

namespace sluice {

// The record at handle in the WAL directory dir (on a file system every executor sees).
// NotFound when the segment is gone, Corruption when the bytes there do not check out.
// Thread-safe.
StatusOr<std::string> readBlockFromWal(const std::string& dir, const wal::RecordHandle& handle);

}  // namespace sluice
