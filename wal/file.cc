#include "wal/file.h"

namespace sluice::wal {

StatusOr<std::unique_ptr<WritableFile>> FileSystem::reopenWritableFile(const std::string& path,
                                                                       uint64_t size) {
  return Status::invalidArgument("cannot reopen " + path + " at " + std::to_string(size) +
                                 ": this file system does not reopen files");
}

StatusOr<std::string> readWholeFile(FileSystem* fs, const std::string& path) {
  auto file = fs->newRandomAccessFile(path);
  if (!file) return file.status();
  auto size = (*file)->size();
  if (!size) return size.status();
  std::string data;
  SLUICE_RETURN_IF_ERROR((*file)->read(0, *size, &data));
  return data;
}

Status writeFileAtomically(FileSystem* fs, const std::string& path, std::string_view data) {
  const std::string temp = path + ".tmp";
  {
    auto file = fs->newWritableFile(temp);
    if (!file) return file.status();
    Status st = (*file)->append(data);
    if (st) st = (*file)->sync();
    if (!st) {
      fs->removeFile(temp);
      return st;
    }
  }
  SLUICE_RETURN_IF_ERROR(fs->renameFile(temp, path));
  const size_t slash = path.rfind('/');
  return fs->syncDir(slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash));
}

}  // namespace sluice::wal
