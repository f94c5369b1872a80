// WriteAheadLog: handles, rolling, durability policies, group commit, failures, cleanup,
// reopening.
#include "wal/write_ahead_log.h"

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <set>
#include <thread>

#include "tests/wal/fault_injecting_file_system.h"
#include "tests/wal/wal_test_util.h"
#include "wal/format.h"

namespace sluice::wal {
namespace {

using testing::FaultInjectingFileSystem;
using testing::makeRecord;

WalOptions optionsFor(FileSystem* fs, FsyncPolicy fsync = FsyncPolicy::kGroup) {
  WalOptions options;
  options.fs = fs;
  options.fsync = fsync;
  options.rolling_interval_ms = 1000;
  return options;
}

std::unique_ptr<WriteAheadLog> openLog(const WalOptions& options, const std::string& dir = "wal") {
  auto wal = WriteAheadLog::open(dir, options);
  REQUIRE(wal.isOk());
  return std::move(*wal);
}

std::vector<std::string> dataOf(const std::vector<RecoveredRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.data);
  return out;
}

TEST_CASE("records read back by handle and all in order, across segments", "[wal]") {
  MemoryFileSystem fs;
  auto wal = openLog(optionsFor(&fs));
  std::vector<std::string> records;
  std::vector<RecordHandle> handles;
  for (int i = 0; i < 6; ++i) {
    records.push_back(makeRecord(i == 3 ? 3 * kBlockSize : 100 * i, i));
    auto handle = wal->write(records.back(), 400 * i);  // rolls every 1000 ms
    REQUIRE(handle.isOk());
    handles.push_back(*handle);
  }
  CHECK(handles[0].segment == "log-00000001-0-1000");
  CHECK(handles[2].segment == "log-00000001-0-1000");
  CHECK(handles[3].segment == "log-00000002-1200-2200");
  CHECK(handles[3].length == 3 * kBlockSize);
  for (size_t i = 0; i < records.size(); ++i) {
    auto data = wal->read(handles[i]);
    REQUIRE(data.isOk());
    CHECK(*data == records[i]);
  }
  RecoveryReport report;
  auto all = wal->readAll(&report);
  REQUIRE(all.isOk());
  CHECK(dataOf(*all) == records);
  for (size_t i = 0; i < records.size(); ++i) CHECK((*all)[i].handle == handles[i]);
  CHECK(report.segments == 2);
  CHECK(report.records == 6);
  CHECK(report.corruptions == 0);
  auto segments = wal->listSegments();
  REQUIRE(segments->size() == 2);
  CHECK((*segments)[1].toString() == "log-00000002-1200-2200");
}

TEST_CASE("a segment at its size limit rolls", "[wal]") {
  MemoryFileSystem fs;
  auto options = optionsFor(&fs, FsyncPolicy::kNone);
  options.rolling_size_bytes = 1000;
  auto wal = openLog(options);
  // 12 + 7 + 600 bytes: below the limit, so a second record joins; then it is full.
  for (int i = 0; i < 5; ++i) REQUIRE(wal->write(makeRecord(600, i), 0).isOk());
  CHECK(wal->listSegments()->size() == 3);
  CHECK(wal->readAll()->size() == 5);
}

TEST_CASE("a bad handle or a bad time is refused", "[wal]") {
  MemoryFileSystem fs;
  auto wal = openLog(optionsFor(&fs));
  CHECK(wal->write("x", -1).status().code() == StatusCode::kInvalidArgument);
  CHECK(wal->read(RecordHandle{"../etc/passwd", 12, 1}).status().code() ==
        StatusCode::kInvalidArgument);
  auto gone = wal->read(RecordHandle{"log-00000009-0-1000", 12, 1});
  CHECK(gone.status().code() == StatusCode::kNotFound);
}

TEST_CASE("write returns only once the record survives a crash, under always and group",
          "[wal]") {
  for (FsyncPolicy policy : {FsyncPolicy::kAlways, FsyncPolicy::kGroup}) {
    INFO(fsyncPolicyName(policy));
    MemoryFileSystem fs;
    std::vector<std::string> records;
    {
      auto wal = openLog(optionsFor(&fs, policy));
      for (int i = 0; i < 20; ++i) {
        records.push_back(makeRecord(50 + i, i));
        REQUIRE(wal->write(records.back(), i * 100).isOk());
      }
      fs.crash();  // before close(): only what write() made durable is left
    }
    fs.crash();
    auto all = openLog(optionsFor(&fs, policy))->readAll();
    REQUIRE(all.isOk());
    CHECK(dataOf(*all) == records);
  }
}

TEST_CASE("under fsync=none a crash loses what the page cache held", "[wal]") {
  MemoryFileSystem fs;
  auto wal = openLog(optionsFor(&fs, FsyncPolicy::kNone));
  REQUIRE(wal->write("in the page cache only", 0).isOk());
  CHECK(wal->readAll()->size() == 1);
  fs.crash();
  CHECK(wal->readAll()->empty());
  CHECK(fs.fileSyncs() == 0);
}

TEST_CASE("group commit: concurrent writers share one fsync", "[wal]") {
  MemoryFileSystem memory;
  FaultInjectingFileSystem fs(&memory);
  auto wal = openLog(optionsFor(&fs, FsyncPolicy::kGroup));
  REQUIRE(wal->write("first", 0).isOk());  // creates the segment
  constexpr int kWriters = 8;
  const uint64_t syncs_before = fs.syncs;
  const uint64_t appends_before = fs.appends;
  // The first fsync waits until every writer has appended: they all queue behind it, and
  // must then share one more fsync.
  std::atomic<bool> first{true};
  fs.setSyncHook([&] {
    if (!first.exchange(false)) return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (fs.appends < appends_before + kWriters && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::vector<std::thread> writers;
  std::atomic<int> ok{0};
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      if (wal->write(makeRecord(100, i), 10)) ++ok;
    });
  }
  for (auto& t : writers) t.join();
  CHECK(ok == kWriters);
  CHECK(fs.appends == appends_before + kWriters);
  CHECK(fs.syncs - syncs_before == 2);
  memory.crash();
  CHECK(wal->readAll()->size() == kWriters + 1);
}

TEST_CASE("group commit under load takes fewer fsyncs than writes, always takes one each",
          "[wal]") {
  for (FsyncPolicy policy : {FsyncPolicy::kGroup, FsyncPolicy::kAlways}) {
    INFO(fsyncPolicyName(policy));
    MemoryFileSystem memory;
    FaultInjectingFileSystem fs(&memory);
    auto wal = openLog(optionsFor(&fs, policy));
    REQUIRE(wal->write("first", 0).isOk());
    fs.setSyncHook([] { std::this_thread::sleep_for(std::chrono::microseconds(300)); });
    const uint64_t syncs_before = fs.syncs;
    constexpr int kWriters = 4, kEach = 25;
    std::vector<std::thread> writers;
    std::atomic<int> ok{0};
    for (int i = 0; i < kWriters; ++i) {
      writers.emplace_back([&, i] {
        for (int j = 0; j < kEach; ++j) ok += wal->write(makeRecord(64, i * 100 + j), 1).isOk();
      });
    }
    for (auto& t : writers) t.join();
    CHECK(ok == kWriters * kEach);
    const uint64_t syncs = fs.syncs - syncs_before;
    if (policy == FsyncPolicy::kAlways) {
      CHECK(syncs == kWriters * kEach);
    } else {
      CHECK(syncs < kWriters * kEach * 3 / 4);
    }
    memory.crash();
    CHECK(wal->readAll()->size() == kWriters * kEach + 1);
  }
}

TEST_CASE("a failed fsync fails the write with a clear error, the next write starts a new "
          "segment",
          "[wal]") {
  for (FsyncPolicy policy : {FsyncPolicy::kAlways, FsyncPolicy::kGroup}) {
    INFO(fsyncPolicyName(policy));
    MemoryFileSystem memory;
    FaultInjectingFileSystem fs(&memory);
    auto wal = openLog(optionsFor(&fs, policy));
    auto good = wal->write("good", 0);
    REQUIRE(good.isOk());
    fs.fail_syncs = true;
    auto bad = wal->write("bad", 1);
    REQUIRE_FALSE(bad.isOk());
    CHECK(bad.status().code() == StatusCode::kIoError);
    CHECK(bad.status().message() ==
          "WAL record not durable: cannot fsync wal/log-00000001-0-1000: Input/output error");
    CHECK_FALSE(wal->write("also bad", 2).isOk());  // a new segment's header cannot sync
    fs.fail_syncs = false;
    auto after = wal->write("after", 3);
    REQUIRE(after.isOk());
    CHECK(after->segment != good->segment);
    CHECK(*wal->read(*good) == "good");
    CHECK(*wal->read(*after) == "after");
  }
}

TEST_CASE("a failed group fsync fails every writer that shared it", "[wal]") {
  MemoryFileSystem memory;
  FaultInjectingFileSystem fs(&memory);
  auto wal = openLog(optionsFor(&fs, FsyncPolicy::kGroup));
  REQUIRE(wal->write("first", 0).isOk());
  constexpr int kWriters = 4;
  const uint64_t appends_before = fs.appends;
  fs.fail_syncs = true;
  fs.setSyncHook([&] {  // every writer appends before the first fsync fails
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (fs.appends < appends_before + kWriters && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      auto handle = wal->write(makeRecord(10, i), 1);
      if (!handle.isOk() &&
          handle.status().message().find("WAL record not durable: cannot fsync") == 0) {
        ++failed;
      }
    });
  }
  for (auto& t : writers) t.join();
  CHECK(failed == kWriters);
}

TEST_CASE("a torn append fails the write, recovery sees a clean end", "[wal]") {
  MemoryFileSystem memory;
  FaultInjectingFileSystem fs(&memory);
  auto options = optionsFor(&fs, FsyncPolicy::kAlways);
  options.append_to_last_segment = false;
  auto wal = openLog(options);
  REQUIRE(wal->write("one", 0).isOk());
  fs.tear_next_append_at = 5;
  auto torn = wal->write(makeRecord(300, 1), 0);
  REQUIRE_FALSE(torn.isOk());
  CHECK_THAT(torn.status().message(), Catch::Contains("No space left on device"));
  REQUIRE(wal->write("two", 0).isOk());
  RecoveryReport report;
  auto all = wal->readAll(&report);
  CHECK(dataOf(*all) == std::vector<std::string>{"one", "two"});
  CHECK(report.corruptions == 0);
  CHECK(report.torn_bytes == 5);
}

TEST_CASE("a checksum mismatch is reported and skipped by recovery", "[wal]") {
  MemoryFileSystem fs;
  std::vector<RecordHandle> handles;
  {
    auto wal = openLog(optionsFor(&fs));
    for (int i = 0; i < 3; ++i) handles.push_back(*wal->write(makeRecord(100, i), 0));
  }
  std::string path = "wal/" + handles[1].segment;
  std::string image = *fs.contents(path);
  image[handles[1].offset + kFragmentHeaderSize + 50] ^= 0x04;
  fs.setContents(path, image);
  auto wal = openLog(optionsFor(&fs));
  RecoveryReport report;
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  auto all = wal->readAll(&report);
  spdlog::set_default_logger(previous);
  REQUIRE(all.isOk());
  CHECK(dataOf(*all) == std::vector<std::string>{makeRecord(100, 0), makeRecord(100, 2)});
  auto lines = sink->last_formatted();
  REQUIRE(lines.size() == 1);  // one line for the damaged segment
  CHECK_THAT(lines[0], Catch::Contains("[warning]") &&
                           Catch::Contains("WAL segment wal/log-00000001-0-1000: skipped 1 "
                                           "corrupt region(s), 107 bytes, the first at offset") &&
                           Catch::Contains("checksum mismatch; 2 record(s) read"));
  CHECK(report.corruptions == 1);
  CHECK(report.corrupt_bytes == kFragmentHeaderSize + 100);
  auto bad = wal->read(handles[1]);
  CHECK(bad.status().code() == StatusCode::kCorruption);
}

TEST_CASE("cleanup deletes whole segments older than the threshold, never the open one",
          "[wal]") {
  MemoryFileSystem fs;
  auto wal = openLog(optionsFor(&fs));
  std::vector<RecordHandle> handles;
  for (int64_t t : {0, 500, 1000, 2500, 3100}) handles.push_back(*wal->write("r", t));
  // Segments: [0,1000) [1000,2000) [2500,3500)
  CHECK(wal->listSegments()->size() == 3);
  CHECK(*wal->cleanup(999) == 0);
  CHECK(*wal->cleanup(1000) == 1);
  CHECK(wal->read(handles[0]).status().code() == StatusCode::kNotFound);
  CHECK_THAT(wal->read(handles[0]).status().message(), Catch::Contains("cleaned up"));
  CHECK(*wal->read(handles[2]) == "r");
  CHECK(*wal->cleanup(100000) == 1);  // [2500,3500) is being written: kept
  CHECK(wal->listSegments()->size() == 1);
  CHECK(*wal->read(handles[4]) == "r");
  REQUIRE(wal->write("later", 4000).isOk());  // rolls
  CHECK(*wal->cleanup(100000) == 1);
  CHECK(dataOf(*wal->readAll()) == std::vector<std::string>{"later"});
}

TEST_CASE("reopening the log appends to its newest segment while the time fits", "[wal]") {
  MemoryFileSystem fs;
  RecordHandle first;
  {
    auto wal = openLog(optionsFor(&fs));
    first = *wal->write("a", 100);
    REQUIRE(wal->write("b", 200).isOk());
  }
  {
    auto wal = openLog(optionsFor(&fs));
    auto c = wal->write("c", 300);
    REQUIRE(c.isOk());
    CHECK(c->segment == first.segment);
    auto d = wal->write("d", 1500);  // past the segment's range
    CHECK(d->segment == "log-00000002-1500-2500");
  }
  {
    auto options = optionsFor(&fs);
    options.append_to_last_segment = false;
    auto wal = openLog(options);
    CHECK(wal->write("e", 1600)->segment == "log-00000003-1600-2600");
  }
  {
    auto wal = openLog(optionsFor(&fs));
    CHECK(wal->write("f", 5000)->segment == "log-00000004-5000-6000");
  }
  auto all = openLog(optionsFor(&fs))->readAll();
  CHECK(dataOf(*all) == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
}

TEST_CASE("cleanup right after reopening may delete the newest segment, writes go on", "[wal]") {
  MemoryFileSystem fs;
  {
    auto wal = openLog(optionsFor(&fs));
    REQUIRE(wal->write("old", 0).isOk());
  }
  auto wal = openLog(optionsFor(&fs));
  CHECK(*wal->cleanup(1000) == 1);
  auto next = wal->write("new", 500);  // before the deleted segment's end, but not in it
  REQUIRE(next.isOk());
  CHECK(next->segment == "log-00000002-500-1500");
  CHECK(dataOf(*wal->readAll()) == std::vector<std::string>{"new"});
}

TEST_CASE("reopening after a crash cuts the torn tail and appends cleanly", "[wal]") {
  MemoryFileSystem memory;
  FaultInjectingFileSystem fs(&memory);
  {
    auto wal = openLog(optionsFor(&fs, FsyncPolicy::kAlways));
    REQUIRE(wal->write("before", 0).isOk());
    fs.tear_next_append_at = 20;
    REQUIRE_FALSE(wal->write(makeRecord(500, 1), 0).isOk());
  }
  auto wal = openLog(optionsFor(&fs, FsyncPolicy::kAlways));
  auto after = wal->write("after", 10);
  REQUIRE(after.isOk());
  CHECK(after->segment == "log-00000001-0-1000");
  RecoveryReport report;
  CHECK(dataOf(*wal->readAll(&report)) == std::vector<std::string>{"before", "after"});
  CHECK(report.corruptions == 0);
  CHECK(report.torn_bytes == 0);
}

TEST_CASE("close makes the log refuse writes", "[wal]") {
  MemoryFileSystem fs;
  auto wal = openLog(optionsFor(&fs));
  REQUIRE(wal->write("x", 0).isOk());
  CHECK(wal->close().isOk());
  CHECK(wal->close().isOk());
  CHECK(wal->write("y", 0).status().code() == StatusCode::kAborted);
}

TEST_CASE("WAL options come from the configuration", "[wal]") {
  Conf conf;
  conf.set("wal.fsync", "always");
  conf.set("wal.rollingInterval", "10s");
  conf.set("wal.rollingSize", "1m");
  auto options = WalOptions::fromConf(conf);
  REQUIRE(options.isOk());
  CHECK(options->fsync == FsyncPolicy::kAlways);
  CHECK(options->rolling_interval_ms == 10000);
  CHECK(options->rolling_size_bytes == 1 << 20);
  conf.set("wal.fsync", "sometimes");
  auto bad = WalOptions::fromConf(conf);
  REQUIRE_FALSE(bad.isOk());
  CHECK_THAT(bad.status().message(), Catch::Contains("wal.fsync"));
  CHECK(WalOptions::fromConf(Conf())->fsync == FsyncPolicy::kGroup);
}

TEST_CASE("the WAL on the real file system: write, reopen, append, read, clean up", "[wal]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("sluice-wal-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  WalOptions options;
  options.rolling_interval_ms = 1000;
  std::vector<RecordHandle> handles;
  {
    auto wal = openLog(options, dir.string());
    handles.push_back(*wal->write(makeRecord(100, 1), 0));
    handles.push_back(*wal->write(makeRecord(40000, 2), 10));
  }
  // A torn tail: the second record lost its last 10 bytes.
  std::filesystem::resize_file(dir / handles[1].segment,
                               std::filesystem::file_size(dir / handles[1].segment) - 10);
  auto wal = openLog(options, dir.string());
  auto third = wal->write("third", 20);
  REQUIRE(third.isOk());
  CHECK(third->segment == handles[0].segment);
  CHECK(*wal->read(handles[0]) == makeRecord(100, 1));
  CHECK(*wal->read(*third) == "third");
  CHECK(dataOf(*wal->readAll()) == std::vector<std::string>{makeRecord(100, 1), "third"});
  REQUIRE(wal->write("next", 2000).isOk());
  CHECK(*wal->cleanup(1000) == 1);
  wal.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice::wal
