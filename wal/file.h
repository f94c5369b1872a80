// The small file interface under the WAL and the checkpoint files (STYLE.md 5): the real
// implementation is posixFileSystem(); tests substitute an in-memory one that can tear
// writes, fail fsyncs and count them.
//
// Every error is a Status whose message names the file, e.g.
// "cannot fsync /ckpt/wal/log-00000003-1000-61000: Input/output error".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::wal {

// A file open for appending. append() and sync() may run concurrently from two threads
// (group commit syncs while the next writer appends); two appends may not.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends all of data, or fails; after a failure part of data may be in the file.
  virtual Status append(std::string_view data) = 0;
  // Returns once everything appended before the call is on stable storage (fdatasync).
  virtual Status sync() = 0;
  virtual const std::string& path() const = 0;
};

// A file open for positional reads. Thread-safe.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Replaces *out with up to n bytes from offset: fewer only at the end of the file.
  virtual Status read(uint64_t offset, size_t n, std::string* out) const = 0;
  virtual StatusOr<uint64_t> size() const = 0;
};

// Paths are plain strings ("dir/name"). Implementations are thread-safe.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Creates path, truncating an existing file.
  virtual StatusOr<std::unique_ptr<WritableFile>> newWritableFile(const std::string& path) = 0;
  // Opens the existing file at path for appending after cutting it to its first `size`
  // bytes (a torn tail). NotFound if it does not exist; InvalidArgument if it is shorter
  // than size. The cut is durable after the first sync() of the returned file. A file
  // system that cannot reopen files keeps this default, which fails: the WAL then starts a
  // new segment instead of appending.
  virtual StatusOr<std::unique_ptr<WritableFile>> reopenWritableFile(const std::string& path,
                                                                     uint64_t size);
  // A missing file is NotFound.
  virtual StatusOr<std::unique_ptr<RandomAccessFile>> newRandomAccessFile(
      const std::string& path) = 0;
  // Names (not paths) of the entries of dir, in no particular order.
  virtual StatusOr<std::vector<std::string>> listDir(const std::string& dir) = 0;
  // Creates dir and its parents; an existing directory is fine.
  virtual Status createDir(const std::string& dir) = 0;
  virtual Status removeFile(const std::string& path) = 0;
  // Atomically replaces `to` by `from`.
  virtual Status renameFile(const std::string& from, const std::string& to) = 0;
  // Makes the directory's entries (files created, renamed, removed) durable.
  virtual Status syncDir(const std::string& dir) = 0;
};

// The process-wide POSIX file system. Never null; lives for the whole process.
FileSystem* posixFileSystem();

// Reads a whole file through fs.
StatusOr<std::string> readWholeFile(FileSystem* fs, const std::string& path);

// Replaces the file at path ("dir/name") by data atomically and durably: writes
// path + ".tmp", syncs it, renames it over path and syncs dir. On an error the previous
// file at path is untouched (the temp file is removed, best effort); a crash leaves the
// old file or the new one, and possibly the temp file for the owner to delete.
Status writeFileAtomically(FileSystem* fs, const std::string& path, std::string_view data);

}  // namespace sluice::wal
