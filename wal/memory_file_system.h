// MemoryFileSystem: the FileSystem of wal/file.h held in memory, for tests, fuzzing and
// benchmarks that must not measure a disk. It remembers how much of each file has been
// synced, so that crash() can drop exactly what a power cut would lose, and it counts
// fsyncs, so that tests can check a durability policy.
//
// THREADING: thread-safe, as FileSystem requires. Files handed out stay valid after the
// file is removed or renamed (as open POSIX files do).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "wal/file.h"

namespace sluice::wal {

class MemoryFileSystem : public FileSystem {
 public:
  MemoryFileSystem();

  StatusOr<std::unique_ptr<WritableFile>> newWritableFile(const std::string& path) override;
  StatusOr<std::unique_ptr<WritableFile>> reopenWritableFile(const std::string& path,
                                                             uint64_t size) override;
  StatusOr<std::unique_ptr<RandomAccessFile>> newRandomAccessFile(
      const std::string& path) override;
  StatusOr<std::vector<std::string>> listDir(const std::string& dir) override;
  Status createDir(const std::string& dir) override;
  Status removeFile(const std::string& path) override;
  Status renameFile(const std::string& from, const std::string& to) override;
  Status syncDir(const std::string& dir) override;

  // Cuts every file back to what its last sync() covered, as a power cut would. (Directory
  // entries are kept: the model is a file system that journals its metadata.)
  void crash();
  // The bytes of the file at path; NotFound if there is none.
  StatusOr<std::string> contents(const std::string& path) const;
  // Creates or replaces the file at path (and its directories) with data, as synced.
  void setContents(const std::string& path, std::string data);
  // WritableFile::sync() calls so far, on every file.
  uint64_t fileSyncs() const;

 private:
  struct File {
    std::string data;
    size_t synced = 0;  // bytes a crash keeps
  };
  class Writable;
  class Readable;

  static std::string parentOf(const std::string& path);
  Status checkParentLocked(const std::string& path, const char* what) const;

  mutable std::mutex mu_;  // guards everything below and the contents of every File
  std::map<std::string, std::shared_ptr<File>> files_;
  std::set<std::string> dirs_;
  uint64_t file_syncs_ = 0;
};

}  // namespace sluice::wal
