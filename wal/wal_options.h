// WalOptions: how a WriteAheadLog makes records durable and when it rolls segments.
#pragma once

#include <cstdint>
#include <string>

#include "common/conf.h"
#include "common/config_keys.h"
#include "common/status.h"
#include "wal/file.h"

namespace sluice::wal {

// When write() returns, the record is:
//  kAlways: on stable storage; every write pays its own fsync, one after another.
//  kGroup:  on stable storage; concurrent writers share fsyncs (group commit).
//  kNone:   in the operating system's page cache: it survives the death of the process,
//           not of the machine.
enum class FsyncPolicy { kAlways, kGroup, kNone };

const char* fsyncPolicyName(FsyncPolicy policy);
// "always", "group" or "none"; anything else is InvalidArgument.
StatusOr<FsyncPolicy> parseFsyncPolicy(const std::string& text);

// The defaults are those of the keys wal.fsync, wal.rollingInterval and wal.rollingSize
// (common/config_keys.h).
struct WalOptions {
  FsyncPolicy fsync = FsyncPolicy::kGroup;  // keys::kWalFsync's "group"
  // A segment covers record times [start, start + rolling_interval_ms).
  int64_t rolling_interval_ms = keys::kWalRollingInterval.default_value.count();
  // A segment that reached this size is closed before the next write.
  uint64_t rolling_size_bytes = keys::kWalRollingSize.default_value;
  // Whether the first write after open() appends to the newest segment on disk when the
  // record's time falls before the end of that segment's range (cutting off a torn tail);
  // otherwise that write starts a new segment.
  bool append_to_last_segment = true;
  // Not owned; must outlive the log. Null means posixFileSystem().
  FileSystem* fs = nullptr;

  // Reads wal.fsync (always|group|none), wal.rollingInterval (a duration, "60s") and
  // wal.rollingSize (a size, "64m"); missing keys keep the defaults above, bad values are
  // an InvalidArgument naming the key (not a warning and the default, as Conf::get does).
  static StatusOr<WalOptions> fromConf(const Conf& conf);
};

}  // namespace sluice::wal
