// FaultInjectingFileSystem: wraps a FileSystem and, on demand, fails fsyncs, tears appends
// (writes a prefix, then fails) and holds fsyncs at a gate; it counts fsyncs and appends.
// For the WAL tests. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "wal/file.h"

namespace sluice::wal::testing {

class FaultInjectingFileSystem : public FileSystem {
 public:
  // *base must outlive this object.
  explicit FaultInjectingFileSystem(FileSystem* base) : base_(base) {}

  std::atomic<uint64_t> syncs{0};    // WritableFile::sync() calls, failed ones included
  std::atomic<uint64_t> appends{0};  // WritableFile::append() calls
  std::atomic<bool> fail_syncs{false};
  // When >= 0: the next append writes only this many bytes of its data, then fails.
  std::atomic<int64_t> tear_next_append_at{-1};

  // Called at the start of every WritableFile::sync(), outside any lock of this object.
  void setSyncHook(std::function<void()> hook) {
    std::lock_guard<std::mutex> lock(mu_);
    sync_hook_ = std::move(hook);
  }

  StatusOr<std::unique_ptr<WritableFile>> newWritableFile(const std::string& path) override {
    return wrap(base_->newWritableFile(path));
  }
  StatusOr<std::unique_ptr<WritableFile>> reopenWritableFile(const std::string& path,
                                                             uint64_t size) override {
    return wrap(base_->reopenWritableFile(path, size));
  }
  StatusOr<std::unique_ptr<RandomAccessFile>> newRandomAccessFile(
      const std::string& path) override {
    return base_->newRandomAccessFile(path);
  }
  StatusOr<std::vector<std::string>> listDir(const std::string& dir) override {
    return base_->listDir(dir);
  }
  Status createDir(const std::string& dir) override { return base_->createDir(dir); }
  Status removeFile(const std::string& path) override { return base_->removeFile(path); }
  Status renameFile(const std::string& from, const std::string& to) override {
    return base_->renameFile(from, to);
  }
  Status syncDir(const std::string& dir) override { return base_->syncDir(dir); }

 private:
  class File : public WritableFile {
   public:
    File(FaultInjectingFileSystem* fs, std::unique_ptr<WritableFile> base)
        : fs_(fs), base_(std::move(base)) {}

    Status append(std::string_view data) override {
      ++fs_->appends;
      int64_t keep = fs_->tear_next_append_at.exchange(-1);
      if (keep >= 0) {
        SLUICE_RETURN_IF_ERROR(base_->append(data.substr(0, static_cast<size_t>(keep))));
        return Status::ioError("cannot write " + path() + ": No space left on device");
      }
      return base_->append(data);
    }

    Status sync() override {
      ++fs_->syncs;
      std::function<void()> hook;
      {
        std::lock_guard<std::mutex> lock(fs_->mu_);
        hook = fs_->sync_hook_;
      }
      if (hook) hook();
      if (fs_->fail_syncs) return Status::ioError("cannot fsync " + path() + ": Input/output error");
      return base_->sync();
    }

    const std::string& path() const override { return base_->path(); }

   private:
    FaultInjectingFileSystem* const fs_;
    const std::unique_ptr<WritableFile> base_;
  };

  StatusOr<std::unique_ptr<WritableFile>> wrap(StatusOr<std::unique_ptr<WritableFile>> file) {
    if (!file) return file.status();
    return std::unique_ptr<WritableFile>(new File(this, std::move(*file)));
  }

  FileSystem* const base_;
  std::mutex mu_;
  std::function<void()> sync_hook_;
};

}  // namespace sluice::wal::testing
