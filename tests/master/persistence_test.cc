#include "master/persistence.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace sluice::master {
namespace {
namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sluice-master-test-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string readRaw(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void writeRaw(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST_CASE("recovery store round-trips workers, apps and drivers", "[master]") {
  TempDir dir;
  RecoveryStore store(dir.path.string());
  REQUIRE(store.open());

  WorkerInfo w;
  w.id = "worker-1/odd id";
  w.host = "10.0.0.5";
  w.endpoint = "tcp://10.0.0.5:7078";
  w.web_port = 8081;
  w.cores = 8;
  w.memory_mb = 16384;
  REQUIRE(store.putWorker(w));

  AppInfo a;
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
  TempDir dir;
  writeRaw(dir.path / "app_x.tmp", "half a record");
  RecoveryStore store(dir.path.string());
  REQUIRE(store.open());
  CHECK_FALSE(fs::exists(dir.path / "app_x.tmp"));
  auto back = store.readAll();
  REQUIRE(back);
  CHECK(back->apps.empty());
}

TEST_CASE("recovery store: a torn or corrupt file is a clear error", "[master]") {
  TempDir dir;
  RecoveryStore store(dir.path.string());
  REQUIRE(store.open());
  WorkerInfo w;
  w.id = "w1";
  w.host = "h";
  REQUIRE(store.putWorker(w));
  const fs::path file = dir.path / "worker_w1";
  const std::string good = readRaw(file);
  REQUIRE(good.size() > 16);

  SECTION("torn tail") {
    writeRaw(file, good.substr(0, good.size() - 3));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK(back.status().code() == StatusCode::kCorruption);
    CHECK_THAT(back.status().message(), Catch::Contains("worker_w1") && Catch::Contains("header says"));
  }
  SECTION("torn header") {
    writeRaw(file, good.substr(0, 7));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("truncated header"));
  }
  SECTION("flipped payload byte") {
    std::string bad = good;
    bad[bad.size() - 1] ^= 0x55;
    writeRaw(file, bad);
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("worker_w1") && Catch::Contains("checksum mismatch"));
  }
  SECTION("not a record") {
    writeRaw(file, std::string(40, 'x'));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("bad magic"));
  }
  SECTION("valid framing around a payload Cereal cannot read") {
    REQUIRE(writeRecordFile(file.string(), "\x01"));
    auto back = store.readAll();
    REQUIRE_FALSE(back);
    CHECK_THAT(back.status().message(), Catch::Contains("worker_w1") && Catch::Contains("corrupt"));
  }
}

}  // namespace
}  // namespace sluice::master
