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

}  // namespace sluice::wal
