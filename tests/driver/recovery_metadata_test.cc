// The driver's recovery metadata: the block metadata log and streaming checkpoints.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "driver/block_metadata_log.h"
#include "driver/streaming_checkpoint.h"

using namespace sluice;

namespace {

struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

ReceivedBlockInfo block(const std::string& id) {
  ReceivedBlockInfo b;
  b.block_id = id;
  b.num_records = 10;
  b.wal_dir = "/ckpt/receivedData/0/exec";
  b.wal_handle = {"log-00000001-0-60000", 7, 100};
  return b;
}

}  // namespace

TEST_CASE("block metadata log: blocks of completed batches are not recovered, the others are", "[driver][recovery]") {
  ScratchDir dir("block-metadata-log");
  {
    auto log = BlockMetadataLog::open(dir.path.string(), {});
    REQUIRE(log);
    REQUIRE((*log)->blockAdded(block("a")));
    REQUIRE((*log)->blockAdded(block("b")));
    REQUIRE((*log)->batchAllocated(1000));
    REQUIRE((*log)->blockAdded(block("c")));
    REQUIRE((*log)->batchAllocated(2000));
    REQUIRE((*log)->blockAdded(block("d")));
    REQUIRE((*log)->batchCompleted(1000));
    // batch 2000 (block c) never completed; block d was never allocated.
  }
  auto log = BlockMetadataLog::open(dir.path.string(), {});
  REQUIRE(log);
  auto recovered = (*log)->recover();
  REQUIRE(recovered);
  REQUIRE(recovered->unprocessed.size() == 2);
  CHECK(recovered->unprocessed[0].block_id == "c");
  CHECK(recovered->unprocessed[1].block_id == "d");
  CHECK(recovered->unprocessed[0].wal_handle == block("c").wal_handle);
  CHECK(recovered->incomplete_batches == std::vector<Time>{2000});
  CHECK(recovered->last_completed == 1000);

  // The restarted driver takes them over; its first batch completes: nothing is left.
  REQUIRE((*log)->recovered());
  REQUIRE((*log)->blockAdded(block("e")));
  REQUIRE((*log)->batchAllocated(5000));
  REQUIRE((*log)->batchCompleted(5000));
  REQUIRE((*log)->blockAdded(block("f")));
  auto again = (*log)->recover();
  REQUIRE(again);
  REQUIRE(again->unprocessed.size() == 1);
  CHECK(again->unprocessed[0].block_id == "f");
  CHECK(again->incomplete_batches.empty());
}

TEST_CASE("streaming checkpoint: another graph's checkpoint is refused, a corrupt newest falls back",
          "[driver][recovery]") {
  ScratchDir dir("streaming-checkpoint");
  StreamingCheckpointer ckpt(dir.path.string(), 3, Milliseconds(10000));
  auto none = ckpt.loadFor("abc", Milliseconds(200));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());

  StreamingCheckpoint cp;
  cp.graph_identity = "abc";
  cp.batch_ms = 200;
  cp.pending_batches = {1200, 1400};
  REQUIRE(ckpt.maybeWrite(cp, 1000));
  CHECK(ckpt.maybeWrite(cp, 2000));  // within the interval: not written
  cp.pending_batches = {20000};
  REQUIRE(ckpt.maybeWrite(cp, 20000));

  auto back = ckpt.loadFor("abc", Milliseconds(200));
  REQUIRE(back);
  REQUIRE(back->has_value());
  CHECK((*back)->pending_batches == std::vector<int64_t>{20000});

  auto other = ckpt.loadFor("def", Milliseconds(200));
  REQUIRE_FALSE(other);
  CHECK(other.status().message().find("different application") != std::string::npos);
  CHECK_FALSE(ckpt.loadFor("abc", Milliseconds(100)));

  // Corrupt the newest: the one before is used.
  {
    std::fstream f(dir.path / "metadata" / "checkpoint-20000", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-3, std::ios::end);
    f.put('\x5a');
  }
  back = ckpt.loadFor("abc", Milliseconds(200));
  REQUIRE(back);
  REQUIRE(back->has_value());
  CHECK((*back)->pending_batches == std::vector<int64_t>{1200, 1400});
}
