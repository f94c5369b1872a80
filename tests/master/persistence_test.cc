// RecoveryStore over the in-memory file system: round trip, leftovers, corrupt files, and
// writes that fail or tear leaving the previous state.
#include "master/persistence.h"

#include <catch2/catch.hpp>

#include "common/serialize.h"
#include "tests/wal/fault_injecting_file_system.h"
#include "wal/checkpoint_file.h"
#include "wal/memory_file_system.h"

namespace sluice::master {
namespace {

constexpr const char* kDir = "recovery";

TEST_CASE("recovery store round-trips workers, apps and drivers", "[master]") {
  wal::MemoryFileSystem fs;
  RecoveryStore store(kDir, &fs);
  REQUIRE(store.open());

  WorkerInfo w;
  w.id = "worker-1/odd id";
  w.host = "10.0.0.5";
  w.endpoint = "tcp://10.0.0.5:7078";
  w.web_port = 8081;
  w.cores = 8;
  w.memory_mb = 16384;
  REQUIRE(store.putWorker(w));

  ApplicationInfo a;
  a.desc.app_id = "app-20240101000000-0000";
  a.desc.name = "word count";
  a.desc.executor_cores = 2;
  a.desc.max_cores = 6;
  a.start_ms = 1700000000000;
  a.next_executor_id = 3;
  a.state = rpc::AppState::kRunning;
  REQUIRE(store.putApp(a));

  DriverInfo d;
  d.id = "driver-20240101000000-0001";
  d.desc.app_file_name = "libword_count.so";
  d.desc.app_bytes = std::string(100000, '\x7f');
  d.desc.app_args = {"in.txt", "out"};
  d.desc.conf.set("executor.cores", "2");
  d.desc.supervise = true;
  d.state = rpc::DriverState::kRunning;
  d.worker_id = w.id;
  REQUIRE(store.putDriver(d));

  auto back = store.readAll();
  REQUIRE(back);
  REQUIRE(back->workers.size() == 1);
  CHECK(back->workers[0].id == w.id);
  CHECK(back->workers[0].endpoint == w.endpoint);
  CHECK(back->workers[0].cores == 8);
  CHECK(back->workers[0].memory_mb == 16384);
  REQUIRE(back->apps.size() == 1);
  CHECK(back->apps[0].id() == a.id());
  CHECK(back->apps[0].desc.max_cores == 6);
  CHECK(back->apps[0].next_executor_id == 3);
  CHECK(back->apps[0].state == rpc::AppState::kRunning);
  REQUIRE(back->drivers.size() == 1);
  CHECK(back->drivers[0].desc.app_bytes == d.desc.app_bytes);
  CHECK(back->drivers[0].desc.app_args == d.desc.app_args);
  CHECK(back->drivers[0].desc.conf.get("executor.cores") == "2");
  CHECK(back->drivers[0].desc.supervise);
  CHECK(back->drivers[0].worker_id == w.id);

  // Updates replace, removals delete.
  a.next_executor_id = 7;
  REQUIRE(store.putApp(a));
  REQUIRE(store.removeWorker(w.id));
  REQUIRE(store.removeDriver(d.id));
  back = store.readAll();
  REQUIRE(back);
  CHECK(back->workers.empty());
  CHECK(back->drivers.empty());
  REQUIRE(back->apps.size() == 1);
  CHECK(back->apps[0].next_executor_id == 7);
}

TEST_CASE("recovery store: leftover temp files are ignored and cleaned", "[master]") {
  wal::MemoryFileSystem fs;
  fs.setContents(std::string(kDir) + "/app_x.tmp", "half a record");
  RecoveryStore store(kDir, &fs);
  REQUIRE(store.open());
  CHECK(fs.contents(std::string(kDir) + "/app_x.tmp").status().code() == StatusCode::kNotFound);
  auto back = store.readAll();
  REQUIRE(back);
  CHECK(back->apps.empty());
}

TEST_CASE("recovery store: a torn or corrupt file is a clear error", "[master]") {
  wal::MemoryFileSystem fs;
  RecoveryStore store(kDir, &fs);
  REQUIRE(store.open());
  WorkerInfo w;
  w.id = "w1";
  w.host = "h";
  REQUIRE(store.putWorker(w));
  const std::string file = store.path("worker", "w1");
  REQUIRE(file == "recovery/worker_w1");
  const std::string good = *fs.contents(file);
  REQUIRE(good.size() > 16);

  SECTION("torn tail") {
    fs.setContents(file, good.substr(0, good.size() - 3));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK(back.status().code() == StatusCode::kCorruption);
    CHECK_THAT(back.status().message(), Catch::Contains("worker_w1") && Catch::Contains("header says"));
  }
  SECTION("torn header") {
    fs.setContents(file, good.substr(0, 7));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("truncated header"));
  }
  SECTION("flipped payload byte") {
    std::string bad = good;
    bad[bad.size() - 1] ^= 0x55;
    fs.setContents(file, bad);
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("worker_w1") && Catch::Contains("checksum mismatch"));
  }
  SECTION("not a record") {
    fs.setContents(file, std::string(40, 'x'));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("bad magic"));
  }
  SECTION("valid framing around a payload Cereal cannot read") {
    fs.setContents(file, wal::encodeCheckpoint("\x01"));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("worker_w1") && Catch::Contains("corrupt"));
  }
}

TEST_CASE("recovery store: a write that fails or tears keeps the previous record", "[master]") {
  wal::MemoryFileSystem mem;
  wal::testing::FaultInjectingFileSystem fs(&mem);
  RecoveryStore store(kDir, &fs);
  REQUIRE(store.open());
  ApplicationInfo a;
  a.desc.app_id = "app-1";
  a.next_executor_id = 1;
  REQUIRE(store.putApp(a));
  const std::string file = store.path("app", a.id());
  const std::string before = *mem.contents(file);

  a.next_executor_id = 2;
  SECTION("an append that writes part of the record, then fails") {
    fs.tear_next_append_at = 10;
    Status st = store.putApp(a);
    REQUIRE_FALSE(st);
    CHECK_THAT(st.message(), Catch::Contains("No space left on device"));
  }
  SECTION("an fsync that fails") {
    fs.fail_syncs = true;
    Status st = store.putApp(a);
    fs.fail_syncs = false;
    REQUIRE_FALSE(st);
    CHECK_THAT(st.message(), Catch::Contains("cannot fsync"));
  }
  CHECK(*mem.contents(file) == before);
  CHECK(mem.contents(file + ".tmp").status().code() == StatusCode::kNotFound);
  auto back = store.readAll();
  REQUIRE(back);
  REQUIRE(back->apps.size() == 1);
  CHECK(back->apps[0].next_executor_id == 1);

  // The store is still usable: the next write replaces the record.
  REQUIRE(store.putApp(a));
  CHECK(store.readAll()->apps.at(0).next_executor_id == 2);
}

TEST_CASE("recovery store: a crash keeps every completed write and drops a half-written one", "[master]") {
  wal::MemoryFileSystem fs;
  RecoveryStore store(kDir, &fs);
  REQUIRE(store.open());
  WorkerInfo w;
  w.id = "w1";
  w.cores = 4;
  REQUIRE(store.putWorker(w));
  // A crash in the middle of rewriting worker_w1: its temp file holds part of the new image.
  w.cores = 8;
  std::string image = wal::encodeCheckpoint(toBytes(w));
  fs.setContents(store.path("worker", "w1") + ".tmp", image.substr(0, image.size() / 2));
  fs.crash();

  RecoveryStore restarted(kDir, &fs);
  REQUIRE(restarted.open());
  CHECK(fs.contents(store.path("worker", "w1") + ".tmp").status().code() == StatusCode::kNotFound);
  auto back = restarted.readAll();
  REQUIRE(back);
  REQUIRE(back->workers.size() == 1);
  CHECK(back->workers[0].cores == 4);
}

}  // namespace
}  // namespace sluice::master
