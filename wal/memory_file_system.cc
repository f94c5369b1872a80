#include "wal/memory_file_system.h"

#include <algorithm>

namespace sluice::wal {

class MemoryFileSystem::Writable : public WritableFile {
 public:
  Writable(MemoryFileSystem* fs, std::string path, std::shared_ptr<File> file)
      : fs_(fs), path_(std::move(path)), file_(std::move(file)) {}

  Status append(std::string_view data) override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    file_->data.append(data);
    return Status::ok();
  }

  Status sync() override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    file_->synced = file_->data.size();
    ++fs_->file_syncs_;
    return Status::ok();
  }

  const std::string& path() const override { return path_; }

 private:
  MemoryFileSystem* const fs_;
  const std::string path_;
  const std::shared_ptr<File> file_;
};

class MemoryFileSystem::Readable : public RandomAccessFile {
 public:
  Readable(const MemoryFileSystem* fs, std::shared_ptr<File> file)
      : fs_(fs), file_(std::move(file)) {}

  Status read(uint64_t offset, size_t n, std::string* out) const override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    const std::string& data = file_->data;
    if (offset >= data.size()) {
      out->clear();
    } else {
      out->assign(data, static_cast<size_t>(offset), n);
    }
    return Status::ok();
  }

  StatusOr<uint64_t> size() const override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    return uint64_t{file_->data.size()};
  }

 private:
  const MemoryFileSystem* const fs_;
  const std::shared_ptr<File> file_;
};

MemoryFileSystem::MemoryFileSystem() { dirs_.insert(""); }

std::string MemoryFileSystem::parentOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

Status MemoryFileSystem::checkParentLocked(const std::string& path, const char* what) const {
  if (dirs_.count(parentOf(path)) == 0) {
    return Status::notFound(std::string(what) + " " + path + ": No such file or directory");
  }
  return Status::ok();
}

StatusOr<std::unique_ptr<WritableFile>> MemoryFileSystem::newWritableFile(
    const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  SLUICE_RETURN_IF_ERROR(checkParentLocked(path, "cannot create"));
  auto file = std::make_shared<File>();
  files_[path] = file;
  return std::unique_ptr<WritableFile>(new Writable(this, path, std::move(file)));
}

StatusOr<std::unique_ptr<WritableFile>> MemoryFileSystem::reopenWritableFile(
    const std::string& path, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::notFound("cannot open " + path + ": No such file");
  File& file = *it->second;
  if (file.data.size() < size) {
    return Status::invalidArgument("cannot reopen " + path + " at " + std::to_string(size) +
                                   ": it has only " + std::to_string(file.data.size()) + " bytes");
  }
  file.data.resize(static_cast<size_t>(size));
  file.synced = std::min(file.synced, file.data.size());
  return std::unique_ptr<WritableFile>(new Writable(this, path, it->second));
}

StatusOr<std::unique_ptr<RandomAccessFile>> MemoryFileSystem::newRandomAccessFile(
    const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::notFound("cannot open " + path + ": No such file");
  return std::unique_ptr<RandomAccessFile>(new Readable(this, it->second));
}

StatusOr<std::vector<std::string>> MemoryFileSystem::listDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  if (dirs_.count(dir) == 0) return Status::notFound("cannot list " + dir + ": No such directory");
  std::vector<std::string> names;
  for (const auto& [path, file] : files_) {
    if (parentOf(path) == dir) names.push_back(path.substr(dir.size() + 1));
  }
  for (const auto& d : dirs_) {
    if (!d.empty() && d != dir && parentOf(d) == dir) names.push_back(d.substr(dir.size() + 1));
  }
  return names;
}

Status MemoryFileSystem::createDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::string d = dir; !d.empty(); d = parentOf(d)) dirs_.insert(d);
  return Status::ok();
}

Status MemoryFileSystem::removeFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.erase(path) == 0) return Status::notFound("cannot remove " + path + ": No such file");
  return Status::ok();
}

Status MemoryFileSystem::renameFile(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return Status::notFound("cannot rename " + from + ": No such file");
  SLUICE_RETURN_IF_ERROR(checkParentLocked(to, "cannot rename to"));
  auto file = it->second;
  files_.erase(it);
  files_[to] = std::move(file);
  return Status::ok();
}

Status MemoryFileSystem::syncDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  if (dirs_.count(dir) == 0) return Status::notFound("cannot open directory " + dir);
  return Status::ok();
}

void MemoryFileSystem::crash() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [path, file] : files_) file->data.resize(file->synced);
}

StatusOr<std::string> MemoryFileSystem::contents(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::notFound("no file " + path);
  return it->second->data;
}

void MemoryFileSystem::setContents(const std::string& path, std::string data) {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::string d = parentOf(path); !d.empty(); d = parentOf(d)) dirs_.insert(d);
  auto file = std::make_shared<File>();
  file->data = std::move(data);
  file->synced = file->data.size();
  files_[path] = std::move(file);
}

uint64_t MemoryFileSystem::fileSyncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return file_syncs_;
}

}  // namespace sluice::wal
