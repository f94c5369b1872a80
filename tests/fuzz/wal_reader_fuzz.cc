// libFuzzer target: any bytes as a WAL segment (scripts/fuzz.sh).
//
// Checks, beyond "no crash, no sanitizer report":
//  - every record the recovery reader returns reads back identically by its handle;
//  - the reader's offsets and counts stay inside the file;
//  - after SegmentWriter::reopen (cutting a torn tail) and one append, a fresh reader returns
//    the same records as before followed by the appended one.
#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "wal/memory_file_system.h"
#include "wal/segment_reader.h"
#include "wal/segment_writer.h"

namespace {

using sluice::wal::MemoryFileSystem;
using sluice::wal::SegmentReader;

void check(bool condition) {
  if (!condition) std::abort();
}

struct Records {
  std::vector<std::string> data;
  std::vector<uint64_t> offsets;
  bool ok = true;
};

Records readAll(MemoryFileSystem& fs, const std::string& path, bool verify_handles) {
  auto file = fs.newRandomAccessFile(path);
  check(file.isOk());
  const uint64_t size = *(*file)->size();
  SegmentReader reader(file->get(), path);
  Records out;
  std::string record;
  uint64_t offset = 0;
  while (reader.next(&record, &offset)) {
    check(offset < size && record.size() <= size);
    if (verify_handles) {
      auto again = sluice::wal::readRecordAt(**file, path, offset, record.size());
      check(again.isOk() && *again == record);
    }
    out.data.push_back(record);
    out.offsets.push_back(offset);
  }
  const auto& stats = reader.stats();
  check(stats.valid_end <= size && stats.torn_bytes <= size && stats.corrupt_bytes <= size);
  check(stats.records == out.data.size());
  out.ok = reader.status().isOk();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // reopen() logs each torn tail it cuts
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  MemoryFileSystem fs;
  fs.setContents("w/seg", std::string(reinterpret_cast<const char*>(data), size));
  Records before = readAll(fs, "w/seg", true);

  // Reading by an arbitrary handle must fail cleanly or return bytes that check out.
  if (size >= 4) {
    auto file = fs.newRandomAccessFile("w/seg");
    uint64_t offset = (uint64_t{data[0]} | (uint64_t{data[1]} << 8)) % (size + 16);
    uint64_t length = (uint64_t{data[2]} | (uint64_t{data[3]} << 8)) % (size + 16);
    auto record = sluice::wal::readRecordAt(**file, "w/seg", offset, length);
    check(!record.isOk() || record->size() == length);
  }

  if (!before.ok) return 0;  // a segment of another version is not appended to
  auto writer = sluice::wal::SegmentWriter::reopen(&fs, "w/seg");
  if (!writer.isOk()) return 0;  // damaged header
  const std::string appended = "appended by the fuzzer";
  auto offset = (*writer)->append(appended);
  check(offset.isOk());
  writer->reset();
  Records after = readAll(fs, "w/seg", false);
  check(after.ok);
  check(after.data.size() == before.data.size() + 1);
  for (size_t i = 0; i < before.data.size(); ++i) check(after.data[i] == before.data[i]);
  check(after.data.back() == appended && after.offsets.back() == *offset);
  return 0;
}
