// Writes seed inputs for the fuzz targets (scripts/fuzz.sh): well-formed WAL segments and
// RPC frames, so that the fuzzers start from the interesting shapes.
//   make_seeds <wal corpus dir> <rpc corpus dir>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "rpc/frame.h"
#include "rpc/message_types.h"
#include "wal/memory_file_system.h"
#include "wal/segment_writer.h"

namespace {

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string segmentOf(const std::vector<size_t>& sizes) {
  sluice::wal::MemoryFileSystem fs;
  fs.createDir("w");
  auto writer = sluice::wal::SegmentWriter::create(&fs, "w/seg");
  char c = 'a';
  for (size_t n : sizes) (void)(*writer)->append(std::string(n, c++));
  writer->reset();
  return *fs.contents("w/seg");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_seeds <wal corpus dir> <rpc corpus dir>\n";
    return 2;
  }
  const std::string wal = argv[1], rpc = argv[2];
  writeFile(wal + "/empty-segment", segmentOf({}));
  writeFile(wal + "/small-records", segmentOf({0, 1, 10, 100}));
  writeFile(wal + "/block-boundary", segmentOf({32700, 200}));
  writeFile(wal + "/three-blocks", segmentOf({10, 70000, 5}));
  using sluice::rpc::MessageTag;
  writeFile(rpc + "/ping", sluice::rpc::encodeFrame(MessageTag::kPing, "hello", 7));
  writeFile(rpc + "/empty-reply", sluice::rpc::encodeFrame(MessageTag::kPong, "", 9, 1));
  writeFile(rpc + "/add-block", sluice::rpc::encodeFrame(MessageTag::kAddBlock,
                                                         std::string(300, '\x01'), 1234567));
  // One frame per message type, as its default value encodes, named after its tag.
  sluice::rpc::AllMessages::forEach([&](auto type) {
    using M = typename decltype(type)::type;
    writeFile(rpc + "/" + sluice::rpc::tagName(M::kTag), sluice::rpc::encode(M{}, 42));
  });
  // A 36-byte frame whose payload claims a 1 GiB string (issue 11).
  std::string claim = sluice::toBytes(uint64_t{1} << 30);
  claim.resize(16, 'x');
  writeFile(rpc + "/huge-claim", sluice::rpc::encodeFrame(MessageTag::kRegisterWorker, claim));
  return 0;
}
