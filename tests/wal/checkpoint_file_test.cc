// CheckpointFiles: atomic writes, the last N kept, a corrupt newest one falls back.
#include "wal/checkpoint_file.h"

#include <catch2/catch.hpp>

#include "tests/wal/fault_injecting_file_system.h"
#include "tests/wal/wal_test_util.h"
#include "wal/format.h"

namespace sluice::wal {
namespace {

using testing::FaultInjectingFileSystem;
using testing::makeRecord;

TEST_CASE("a checkpoint reads back as the newest", "[wal]") {
  MemoryFileSystem fs;
  CheckpointFiles files("ckpt", 3, &fs);
  CHECK(files.readLatest().status().code() == StatusCode::kNotFound);
  REQUIRE(files.write("first", 1000).isOk());
  REQUIRE(files.write(makeRecord(100000, 1), 2000).isOk());
  auto latest = files.readLatest();
  REQUIRE(latest.isOk());
  CHECK(latest->time_ms == 2000);
  CHECK(latest->blob == makeRecord(100000, 1));
  CHECK(latest->skipped.empty());
  fs.crash();  // written means durable
  CHECK(files.readLatest()->time_ms == 2000);
}

TEST_CASE("only the newest N checkpoints are kept", "[wal]") {
  MemoryFileSystem fs;
  CheckpointFiles files("ckpt", 3, &fs);
  for (int64_t t = 1; t <= 6; ++t) REQUIRE(files.write("blob " + std::to_string(t), t).isOk());
  CHECK(*files.list() == std::vector<int64_t>{4, 5, 6});
}

TEST_CASE("a corrupt newest checkpoint falls back to the previous one", "[wal]") {
  MemoryFileSystem fs;
  CheckpointFiles files("ckpt", 3, &fs);
  REQUIRE(files.write("older", 1000).isOk());
  REQUIRE(files.write("newer", 2000).isOk());
  std::string image = *fs.contents(files.pathOf(2000));

  SECTION("a flipped bit in the blob") {
    image[kCheckpointHeaderSize + 2] ^= 0x01;
    fs.setContents(files.pathOf(2000), image);
    auto latest = files.readLatest();
    REQUIRE(latest.isOk());
    CHECK(latest->time_ms == 1000);
    CHECK(latest->blob == "older");
    CHECK(latest->skipped == std::vector<std::string>{"checkpoint-2000: checksum mismatch"});
  }
  SECTION("a flipped bit in the header") {
    image[9] ^= 0x01;
    fs.setContents(files.pathOf(2000), image);
    auto latest = files.readLatest();
    CHECK(latest->blob == "older");
    CHECK(latest->skipped == std::vector<std::string>{"checkpoint-2000: header checksum mismatch"});
  }
  SECTION("a truncated file") {
    fs.setContents(files.pathOf(2000), image.substr(0, 10));
    auto latest = files.readLatest();
    CHECK(latest->blob == "older");
    CHECK_THAT(latest->skipped[0], Catch::Contains("truncated"));
  }
  SECTION("every checkpoint corrupt is a Corruption naming each") {
    fs.setContents(files.pathOf(2000), "garbage");
    fs.setContents(files.pathOf(1000), "");
    auto latest = files.readLatest();
    REQUIRE_FALSE(latest.isOk());
    CHECK(latest.status().code() == StatusCode::kCorruption);
    CHECK_THAT(latest.status().message(), Catch::Contains("checkpoint-2000") &&
                                              Catch::Contains("checkpoint-1000"));
  }
}

TEST_CASE("a checkpoint whose fsync fails is not written, the previous one stays", "[wal]") {
  MemoryFileSystem memory;
  FaultInjectingFileSystem fs(&memory);
  CheckpointFiles files("ckpt", 3, &fs);
  REQUIRE(files.write("good", 1000).isOk());
  fs.fail_syncs = true;
  Status st = files.write("lost", 2000);
  CHECK(st.code() == StatusCode::kIoError);
  CHECK_THAT(st.message(), Catch::Contains("cannot fsync ckpt/checkpoint-2000.tmp"));
  fs.fail_syncs = false;
  CHECK(*files.list() == std::vector<int64_t>{1000});
  CHECK(*memory.listDir("ckpt") == std::vector<std::string>{"checkpoint-1000"});
  CHECK(files.readLatest()->blob == "good");
}

TEST_CASE("a temp file left by a crash is ignored and then removed", "[wal]") {
  MemoryFileSystem fs;
  CheckpointFiles files("ckpt", 3, &fs);
  REQUIRE(files.write("good", 1000).isOk());
  fs.setContents("ckpt/checkpoint-2000.tmp", "half written");
  CHECK(files.readLatest()->time_ms == 1000);
  REQUIRE(files.write("next", 3000).isOk());
  auto names = *fs.listDir("ckpt");
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"checkpoint-1000", "checkpoint-3000"});
}

TEST_CASE("checkpoint images decode only when intact", "[wal]") {
  std::string image = encodeCheckpoint("payload");
  CHECK(*decodeCheckpoint(image) == "payload");
  CHECK_FALSE(decodeCheckpoint(image + "x").isOk());
  CHECK_FALSE(decodeCheckpoint(image.substr(0, image.size() - 1)).isOk());
  CHECK_FALSE(decodeCheckpoint("").isOk());
}

}  // namespace
}  // namespace sluice::wal
