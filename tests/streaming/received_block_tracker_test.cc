// ReceivedBlockTracker over the in-memory file system (as Spark's ReceivedBlockTrackerSuite):
// allocation of reported blocks to batches, the block metadata log and recovery from it,
// cleanup of old batches (their metadata, their log segments and their receiver WAL
// segments), and log write failures reported as errors.
#include "streaming/received_block_tracker.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/clock.h"
#include "streaming/recovery/block_metadata_log.h"
#include "tests/wal/fault_injecting_file_system.h"
#include "wal/memory_file_system.h"
#include "wal/write_ahead_log.h"

using namespace sluice;

namespace {

constexpr const char* kLogDir = "ckpt/receivedBlockMetadata";
constexpr const char* kReceiverWalDir = "ckpt/receivedData/0/exec-1";

ReceivedBlockInfo block(int stream, const std::string& id, std::string position = "") {
  ReceivedBlockInfo b;
  b.stream_id = stream;
  b.block_id = id;
  b.executor_id = "exec-1";
  b.endpoint = "tcp://127.0.0.1:4100";
  b.host = "127.0.0.1";
  b.num_records = 10;
  b.bytes = 100;
  b.position = std::move(position);
  return b;
}

std::vector<std::string> ids(const std::vector<ReceivedBlockInfo>& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks) out.push_back(b.block_id);
  return out;
}

using Ids = std::vector<std::string>;

wal::WalOptions optionsOn(wal::FileSystem* fs) {
  wal::WalOptions options;
  options.fs = fs;
  options.rolling_interval_ms = 1000;  // a segment per second of the manual clock
  return options;
}

std::unique_ptr<BlockMetadataLog> openLog(wal::FileSystem* fs, const Clock* clock) {
  auto log = BlockMetadataLog::open(kLogDir, optionsOn(fs), clock);
  REQUIRE(log);
  return std::move(*log);
}

RecoveredBlocks recover(wal::FileSystem* fs, const Clock* clock) {
  auto recovered = openLog(fs, clock)->recover();
  REQUIRE(recovered);
  return std::move(*recovered);
}

}  // namespace

TEST_CASE("received block tracker: blocks added are allocated to the next batch exactly once", "[streaming]") {
  ReceivedBlockTracker tracker;
  REQUIRE(tracker.addBlock(block(0, "a1")));
  REQUIRE(tracker.addBlock(block(0, "a2")));
  REQUIRE(tracker.addBlock(block(1, "b1")));
  CHECK(ids(tracker.unallocatedBlocks(0)) == Ids{"a1", "a2"});
  CHECK(tracker.hasUnallocatedBlocks());

  REQUIRE(tracker.allocateBlocksToBatch(1000));
  CHECK(ids(tracker.blocksOfBatch(1000, 0)) == Ids{"a1", "a2"});
  CHECK(ids(tracker.blocksOfBatch(1000, 1)) == Ids{"b1"});
  CHECK(tracker.unallocatedBlocks(0).empty());
  CHECK_FALSE(tracker.hasUnallocatedBlocks());

  // A block reported later goes to the next batch, not to the one already allocated.
  REQUIRE(tracker.addBlock(block(0, "a3")));
  REQUIRE(tracker.allocateBlocksToBatch(1000));
  CHECK(ids(tracker.blocksOfBatch(1000, 0)) == Ids{"a1", "a2"});
  REQUIRE(tracker.allocateBlocksToBatch(2000));
  CHECK(ids(tracker.blocksOfBatch(2000, 0)) == Ids{"a3"});
  CHECK(tracker.blocksOfBatch(2000, 1).empty());

  // No new block: the next batch is empty; unknown batches and streams have nothing.
  REQUIRE(tracker.allocateBlocksToBatch(3000));
  CHECK(tracker.blocksOfBatch(3000, 0).empty());
  CHECK(tracker.blocksOfBatch(4000, 0).empty());
  CHECK(tracker.blocksOfBatch(1000, 7).empty());
}

TEST_CASE("received block tracker: the position of the last block of each stream is kept", "[streaming]") {
  ReceivedBlockTracker tracker;
  CHECK(tracker.lastPosition(0).empty());
  REQUIRE(tracker.addBlock(block(0, "a1", "seq-5")));
  REQUIRE(tracker.addBlock(block(0, "a2")));  // no position: the last one stays
  REQUIRE(tracker.addBlock(block(1, "b1", "offset-9")));
  CHECK(tracker.lastPosition(0) == "seq-5");
  CHECK(tracker.lastPosition(1) == "offset-9");
}

TEST_CASE("received block tracker: a new tracker recovers allocated and unallocated blocks from the metadata log",
          "[streaming][recovery]") {
  wal::MemoryFileSystem fs;
  ManualClock clock(1000);
  {
    auto log = openLog(&fs, &clock);
    ReceivedBlockTracker tracker;
    tracker.setMetadataLog(log.get());
    ReceivedBlockInfo a1 = block(0, "a1", "p1");
    a1.wal_dir = kReceiverWalDir;
    a1.wal_handle = {"log-00000001-1000-2000", 7, 100};
    a1.replica_executor_id = "exec-2";
    a1.replica_endpoint = "tcp://127.0.0.2:4100";
    REQUIRE(tracker.addBlock(a1));
    REQUIRE(tracker.addBlock(block(1, "b1")));
    REQUIRE(tracker.allocateBlocksToBatch(1000));
    clock.setTime(2000);
    REQUIRE(tracker.addBlock(block(0, "a2", "p2")));
  }
  fs.crash();  // what the log made durable survives; nothing else is kept

  RecoveredBlocks recovered = recover(&fs, &clock);
  CHECK(recovered.incompleteBatches() == std::vector<Time>{1000});
  ReceivedBlockTracker tracker;
  tracker.restore(std::move(recovered));
  // The allocated batch keeps its blocks, every field intact.
  std::vector<ReceivedBlockInfo> batch = tracker.blocksOfBatch(1000, 0);
  REQUIRE(ids(batch) == Ids{"a1"});
  CHECK(batch[0].wal_dir == kReceiverWalDir);
  CHECK(batch[0].wal_handle == wal::RecordHandle{"log-00000001-1000-2000", 7, 100});
  CHECK(batch[0].endpoint == "tcp://127.0.0.1:4100");
  CHECK(batch[0].host == "127.0.0.1");
  CHECK(batch[0].replica_endpoint == "tcp://127.0.0.2:4100");
  CHECK(batch[0].num_records == 10);
  CHECK(ids(tracker.blocksOfBatch(1000, 1)) == Ids{"b1"});
  // Only the block no batch took is unallocated; its position is the stream's last.
  CHECK(ids(tracker.unallocatedBlocks(0)) == Ids{"a2"});
  CHECK(tracker.unallocatedBlocks(1).empty());
  CHECK(tracker.lastPosition(0) == "p2");

  // Re-running batch 1000 does not take a2; the next batch does, and a second recovery
  // sees both allocations and nothing unallocated.
  auto log = openLog(&fs, &clock);
  tracker.setMetadataLog(log.get());
  REQUIRE(tracker.allocateBlocksToBatch(1000));
  CHECK(ids(tracker.blocksOfBatch(1000, 0)) == Ids{"a1"});
  clock.setTime(3000);
  REQUIRE(tracker.allocateBlocksToBatch(3000));
  CHECK(ids(tracker.blocksOfBatch(3000, 0)) == Ids{"a2"});
  REQUIRE(tracker.batchCompleted(1000));
  log.reset();

  RecoveredBlocks again = recover(&fs, &clock);
  CHECK(again.unallocated.empty());
  REQUIRE(again.allocations.size() == 2);
  CHECK(ids(again.allocations.at(3000)) == Ids{"a2"});
  CHECK(again.incompleteBatches() == std::vector<Time>{3000});
}

TEST_CASE("received block tracker: cleanup removes old batches' metadata, log segments and receiver WAL segments, "
          "not newer ones",
          "[streaming][recovery]") {
  wal::MemoryFileSystem fs;
  ManualClock clock(1000);
  auto receiver_wal = wal::WriteAheadLog::open(kReceiverWalDir, optionsOn(&fs));
  REQUIRE(receiver_wal);
  auto log = openLog(&fs, &clock);
  ReceivedBlockTracker tracker(&fs);
  tracker.setMetadataLog(log.get());

  // A receiver stores a block at each time, durable in its WAL, and reports it.
  auto store = [&](const std::string& id, Time t) {
    clock.setTime(t);
    auto handle = (*receiver_wal)->write("records of " + id, t);
    REQUIRE(handle);
    ReceivedBlockInfo b = block(0, id);
    b.wal_dir = kReceiverWalDir;
    b.wal_handle = *handle;
    REQUIRE(tracker.addBlock(b));
    REQUIRE(tracker.allocateBlocksToBatch(t));
    return b;
  };
  ReceivedBlockInfo old_block = store("old", 1000);
  ReceivedBlockInfo new_block = store("new", 20000);
  REQUIRE(tracker.addBlock(block(1, "other-stream")));
  REQUIRE(tracker.allocateBlocksToBatch(21000));
  clock.setTime(40000);

  // Batches up to 15000 of stream 0 are forgotten; the receiver WAL keeps what is newer
  // than 15000 - 10000.
  std::vector<ReceivedBlockInfo> forgotten = tracker.cleanupOldBlocks(0, 15000);
  CHECK(ids(forgotten) == Ids{"old"});
  CHECK(tracker.blocksOfBatch(1000, 0).empty());
  CHECK(ids(tracker.blocksOfBatch(20000, 0)) == Ids{"new"});
  CHECK(ids(tracker.blocksOfBatch(21000, 1)) == Ids{"other-stream"});
  CHECK((*receiver_wal)->read(old_block.wal_handle).status().code() == StatusCode::kNotFound);
  auto kept = (*receiver_wal)->read(new_block.wal_handle);
  REQUIRE(kept);
  CHECK(*kept == "records of new");

  // A restart needs batches from 25000 on: the metadata log drops what was written before
  // 15000, so a recovery no longer sees batch 1000, but still sees the newer ones.
  auto segments_before = fs.listDir(kLogDir);
  REQUIRE(segments_before);
  tracker.retainFrom(25000);
  auto segments_after = fs.listDir(kLogDir);
  REQUIRE(segments_after);
  CHECK(segments_after->size() < segments_before->size());
  RecoveredBlocks recovered = recover(&fs, &clock);
  CHECK(recovered.allocations.count(1000) == 0);
  REQUIRE(recovered.allocations.count(20000) == 1);
  CHECK(ids(recovered.allocations.at(20000)) == Ids{"new"});
  CHECK(ids(recovered.allocations.at(21000)) == Ids{"other-stream"});

  // Forgetting batch 20000 keeps its receiver WAL segment: a restart from the checkpoint
  // may read it again (retainFrom bounds the WAL cleanup).
  CHECK(ids(tracker.cleanupOldBlocks(0, 60000)) == Ids{"new"});
  CHECK(tracker.blocksOfBatch(20000, 0).empty());
  kept = (*receiver_wal)->read(new_block.wal_handle);
  REQUIRE(kept);
  CHECK(*kept == "records of new");
}

TEST_CASE("received block tracker: a failing metadata log write is an error and changes nothing",
          "[streaming][recovery]") {
  wal::MemoryFileSystem memory;
  wal::testing::FaultInjectingFileSystem fs(&memory);
  ManualClock clock(1000);
  auto log = openLog(&fs, &clock);
  ReceivedBlockTracker tracker;
  tracker.setMetadataLog(log.get());
  REQUIRE(tracker.addBlock(block(0, "a1")));

  fs.fail_syncs = true;
  Status added = tracker.addBlock(block(0, "a2"));
  REQUIRE_FALSE(added);
  CHECK(added.message().find("cannot log block a2") != std::string::npos);
  CHECK(ids(tracker.unallocatedBlocks(0)) == Ids{"a1"});  // a2 is not recorded

  // The allocation is not made: batch 1000 has no blocks, a1 waits for the next batch.
  Status allocated = tracker.allocateBlocksToBatch(1000);
  REQUIRE_FALSE(allocated);
  CHECK(allocated.message().find("batch 1000") != std::string::npos);
  CHECK(tracker.blocksOfBatch(1000, 0).empty());
  CHECK(ids(tracker.unallocatedBlocks(0)) == Ids{"a1"});
  CHECK_FALSE(tracker.batchCompleted(1000));

  fs.fail_syncs = false;
  clock.setTime(2000);
  REQUIRE(tracker.allocateBlocksToBatch(2000));
  CHECK(ids(tracker.blocksOfBatch(2000, 0)) == Ids{"a1"});
  log.reset();

  // The log agrees with memory: a1 in batch 2000, nothing else.
  memory.crash();
  RecoveredBlocks recovered = recover(&memory, &clock);
  CHECK(recovered.unallocated.empty());
  REQUIRE(recovered.allocations.size() == 1);
  CHECK(ids(recovered.allocations.at(2000)) == Ids{"a1"});
}
