// The driver's recovery metadata: the block metadata log and streaming checkpoints.
#include <catch2/catch.hpp>

#include "tests/common/scratch_dir.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/clock.h"
#include "streaming/recovery/block_metadata_log.h"
#include "streaming/receiver_tracker.h"
#include "streaming/recovery/state_snapshots.h"
#include "streaming/recovery/streaming_checkpoint.h"

using namespace sluice;

namespace {

using sluice::testing::ScratchDir;

ReceivedBlockInfo block(const std::string& id) {
  ReceivedBlockInfo b;
  b.block_id = id;
  b.num_records = 10;
  b.wal_dir = "/ckpt/receivedData/0/exec";
  b.wal_handle = {"log-00000001-0-60000", 7, 100};
  return b;
}

}  // namespace

TEST_CASE("block metadata log: each batch keeps its blocks, completed or not, unallocated blocks are returned",
          "[driver][recovery]") {
  ScratchDir dir("block-metadata-log");
  {
    auto log = BlockMetadataLog::open(dir.path.string(), {});
    REQUIRE(log);
    REQUIRE((*log)->blockAdded(block("a")));
    REQUIRE((*log)->blockAdded(block("b")));
    REQUIRE((*log)->batchAllocated(1000, {block("a"), block("b")}));
    REQUIRE((*log)->blockAdded(block("c")));
    REQUIRE((*log)->batchAllocated(2000, {block("c")}));
    REQUIRE((*log)->blockAdded(block("d")));
    REQUIRE((*log)->batchCompleted(1000));
    // batch 2000 (block c) never completed; block d was never allocated.
  }
  auto log = BlockMetadataLog::open(dir.path.string(), {});
  REQUIRE(log);
  auto recovered = (*log)->recover();
  REQUIRE(recovered);
  REQUIRE(recovered->unallocated.size() == 1);
  CHECK(recovered->unallocated[0].block_id == "d");
  REQUIRE(recovered->allocations.size() == 2);
  CHECK(recovered->allocations[1000].size() == 2);
  REQUIRE(recovered->allocations[2000].size() == 1);
  CHECK(recovered->allocations[2000][0].block_id == "c");
  CHECK(recovered->allocations[2000][0].wal_handle == block("c").wal_handle);
  CHECK(recovered->incompleteBatches() == std::vector<Time>{2000});

  // The restarted driver re-runs batch 2000 and gives block d to its next batch.
  REQUIRE((*log)->batchCompleted(2000));
  REQUIRE((*log)->blockAdded(block("e")));
  REQUIRE((*log)->batchAllocated(5000, {block("d"), block("e")}));
  REQUIRE((*log)->batchCompleted(5000));
  REQUIRE((*log)->blockAdded(block("f")));
  auto again = (*log)->recover();
  REQUIRE(again);
  REQUIRE(again->unallocated.size() == 1);
  CHECK(again->unallocated[0].block_id == "f");
  CHECK(again->incompleteBatches().empty());
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
  auto written = ckpt.maybeWrite(cp, 1000);
  REQUIRE(written);
  CHECK(*written);
  written = ckpt.maybeWrite(cp, 2000);  // within the interval: not written
  REQUIRE(written);
  CHECK_FALSE(*written);
  cp.pending_batches = {20000};
  cp.states[0] = {{19800, "state of stream 0"}};
  REQUIRE(ckpt.maybeWrite(cp, 20000));

  auto back = ckpt.loadFor("abc", Milliseconds(200));
  REQUIRE(back);
  REQUIRE(back->has_value());
  CHECK((*back)->pending_batches == std::vector<int64_t>{20000});
  REQUIRE((*back)->states.count(0));
  CHECK((*back)->states.at(0).at(0).bytes == "state of stream 0");

  auto other = ckpt.loadFor("def", Milliseconds(200));
  REQUIRE_FALSE(other);
  CHECK(other.status().message().find("different application") != std::string::npos);
  // The same graph at another interval (e.g. another streaming.batchDuration) is refused
  // with both intervals named.
  auto other_interval = ckpt.loadFor("abc", Milliseconds(100));
  REQUIRE_FALSE(other_interval);
  CHECK_THAT(other_interval.status().message(),
             Catch::Contains("written at batch interval 200 ms, and this driver's is 100 ms: restart at 200 ms"));

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

TEST_CASE("state snapshots: a checkpoint keeps what a re-run needs and gives it back", "[driver][recovery]") {
  StateSnapshots states;
  std::vector<std::pair<Time, std::string>> restored;
  int id = states.add([&](const StateSnapshot& s) { restored.emplace_back(s.time, s.bytes); });
  REQUIRE(id == 0);
  CHECK(states.oldestNeeded(states.keepFrom(1000), 100) == 100);  // no snapshot yet: from the zero time
  states.save(id, 2000, "at 2000");
  states.save(id, 4000, "at 4000");
  states.save(id, 6000, "at 6000");
  // A re-run of batch 5000 starts from the state of 4000; the one of 2000 is no longer needed.
  SavedStates kept = states.keepFrom(5000);
  REQUIRE(kept.at(0).size() == 2);
  CHECK(kept.at(0)[0].time == 4000);
  CHECK(states.oldestNeeded(kept, 100) == 4000);
  // A stream recomputed from an earlier time replaces the snapshots after it.
  states.save(id, 4000, "at 4000 again");
  CHECK(states.keepFrom(5000).at(0).size() == 1);

  states.restore(kept);
  REQUIRE(restored.size() == 2);
  CHECK(restored[1] == std::make_pair(Time{6000}, std::string("at 6000")));
  SavedStates unknown{{3, {{1000, "x"}}}};
  CHECK_THROWS_WITH(states.restore(unknown), Catch::Contains("stateful stream 3"));
}

TEST_CASE("retainFrom deletes the metadata log's segments older than the time a restart needs",
          "[driver][recovery]") {
  ScratchDir dir("block-metadata-retain");
  wal::WalOptions options;
  options.rolling_interval_ms = 1;  // a segment per millisecond
  auto log = BlockMetadataLog::open(dir.path.string(), options);
  REQUIRE(log);
  ReceiverTracker tracker;
  tracker.setMetadataLog(log->get());
  REQUIRE(tracker.addBlock(block("old")));
  // The next record lands in a later segment.
  Time later = SystemClock().nowMs() + 2;
  while (SystemClock().nowMs() < later) std::this_thread::yield();
  REQUIRE(tracker.addBlock(block("new")));
  auto before = (*log)->recover();
  REQUIRE(before);
  CHECK(before->unallocated.size() == 2);

  // A restart needs batches from `later` on; the WAL keeps 10 s more than that.
  tracker.retainFrom(later + 10'000);
  auto after = (*log)->recover();
  REQUIRE(after);
  REQUIRE(after->unallocated.size() == 1);
  CHECK(after->unallocated[0].block_id == "new");
}
