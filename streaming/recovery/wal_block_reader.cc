#include "streaming/recovery/wal_block_reader.h"

#include "wal/file.h"
#include "wal/segment_name.h"
#include "wal/segment_reader.h"

namespace sluice {

StatusOr<std::string> readBlockFromWal(const std::string& dir, const wal::RecordHandle& handle) {
  if (!wal::parseSegmentName(handle.segment)) {
    return Status::invalidArgument("'" + handle.segment + "' is not a WAL segment name");
  }
  std::string path = dir + "/" + handle.segment;
  auto file = wal::posixFileSystem()->newRandomAccessFile(path);
  if (!file) return Status(file.status().code(), "cannot open WAL segment " + path + ": " + file.status().message());
  return wal::readRecordAt(**file, path, handle.offset, handle.length);
}

}  // namespace sluice
