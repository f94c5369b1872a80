// RecoveryStore: the master's recovery dir (Spark's FileSystemPersistenceEngine). One file
// per worker, application and driver, rewritten atomically on every change through
// wal::writeFileAtomically, in the checksummed checkpoint file format of wal/FORMAT.md;
// the layout is in master/RECOVERY_FORMAT.md.
//
// THREADING: thread-compatible; the master calls it under its state mutex.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "master/master_state.h"
#include "wal/file.h"

namespace sluice::master {

struct RecoveredState {
  std::vector<WorkerInfo> workers;
  std::vector<ApplicationInfo> apps;
  std::vector<DriverInfo> drivers;
};

class RecoveryStore {
 public:
  // fs (null: wal::posixFileSystem()) must outlive this object.
  explicit RecoveryStore(std::string dir, wal::FileSystem* fs = nullptr);

  // Creates the dir if needed and deletes temp files a crash left behind.
  Status open();
  const std::string& dir() const { return dir_; }

  // Each put replaces the entry's file, or fails leaving the previous one intact.
  Status putWorker(const WorkerInfo& w);
  Status removeWorker(const std::string& id);
  Status putApp(const ApplicationInfo& a);
  Status removeApp(const std::string& id);
  Status putDriver(const DriverInfo& d);
  Status removeDriver(const std::string& id);

  // Reads every record. A torn or corrupt file is a Corruption status naming the file and
  // what is wrong with it; nothing is skipped silently.
  StatusOr<RecoveredState> readAll() const;

  // The file of one entry: <dir>/<kind>_<id, %-encoded>, kind "worker", "app" or "driver".
  std::string path(const std::string& kind, const std::string& id) const;

 private:
  Status put(const std::string& kind, const std::string& id, const std::string& payload);
  Status remove(const std::string& kind, const std::string& id);
  template <class T>
  Status decodeRecord(const std::string& name, T* out) const;

  std::string dir_;
  wal::FileSystem* fs_;
};

}  // namespace sluice::master
