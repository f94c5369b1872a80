// RecoveryStore: the master's recovery dir (Spark's FileSystemPersistenceEngine). One file
// per worker, application and driver, rewritten atomically on every change (temp file,
// fsync, rename, fsync of the dir); the format is in master/RECOVERY_FORMAT.md.
//
// THREADING: thread-compatible; the master calls it under its state mutex.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "master/master_state.h"

namespace sluice::master {

struct RecoveredState {
  std::vector<WorkerInfo> workers;
  std::vector<AppInfo> apps;
  std::vector<DriverInfo> drivers;
};

class RecoveryStore {
 public:
  explicit RecoveryStore(std::string dir) : dir_(std::move(dir)) {}

  // Creates the dir if needed and deletes temp files a crash left behind.
  Status open();
  const std::string& dir() const { return dir_; }

  Status putWorker(const WorkerInfo& w);
  Status removeWorker(const std::string& id);
  Status putApp(const AppInfo& a);
  Status removeApp(const std::string& id);
  Status putDriver(const DriverInfo& d);
  Status removeDriver(const std::string& id);

  // Reads every record. A torn or corrupt file is a Corruption status naming the file and
  // what is wrong with it; nothing is skipped silently.
  StatusOr<RecoveredState> readAll() const;

 private:
  Status put(const std::string& kind, const std::string& id, const std::string& payload);
  Status remove(const std::string& kind, const std::string& id);
  std::string path(const std::string& kind, const std::string& id) const;

  std::string dir_;
};

// One record file: header + payload (RECOVERY_FORMAT.md). Exposed for tests.
Status writeRecordFile(const std::string& path, const std::string& payload);
StatusOr<std::string> readRecordFile(const std::string& path);

}  // namespace sluice::master
