// worker/log_page.h: executor and driver logs found through the worker's records only.
#include "worker/log_page.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace sluice;
using namespace sluice::worker;

namespace {

struct LogDir {
  std::filesystem::path root = std::filesystem::path(SLUICE_BUILD_DIR) / "test-tmp" /
                               ("log-page-" + std::to_string(::getpid()));
  LogDir() {
    std::filesystem::create_directories(root / "app-1" / "0");
    std::filesystem::create_directories(root / "driver-7");
    std::ofstream(root / "app-1" / "0" / "stdout") << "hello from executor 0\n";
    std::ofstream(root / "app-1" / "0" / "stderr") << std::string(1000, 'a') << "<b>the end</b>\n";
    std::ofstream(root / "driver-7" / "stderr") << "driver says hi\n";
    std::ofstream(root / "secret") << "not a log\n";
  }
  ~LogDir() { std::filesystem::remove_all(root); }
};

WorkerStatus statusOf(const LogDir& dir) {
  WorkerStatus s;
  s.id = "worker-a";
  ExecutorStatus e;
  e.app_id = "app-1";
  e.executor_id = "0";
  e.work_dir = (dir.root / "app-1" / "0").string();
  s.executors.push_back(e);
  DriverStatus d;
  d.driver_id = "driver-7";
  d.work_dir = (dir.root / "driver-7").string();
  s.finished_drivers.push_back(d);
  return s;
}

}  // namespace

TEST_CASE(
    "worker log page: an executor's and a driver's logs are found through the worker's records",
    "[ui]") {
  LogDir dir;
  WorkerStatus s = statusOf(dir);
  LogRequest r{"app-1", "0", "", "stdout"};
  auto path = logFilePath(s, r);
  REQUIRE(path.isOk());
  auto tail = readLogTail(*path, r.max_bytes);
  REQUIRE(tail.isOk());
  CHECK(tail->text == "hello from executor 0\n");
  CHECK(tail->start == 0);
  std::string page = renderLogPage(s, r, *tail);
  CHECK(page.find("hello from executor 0") != std::string::npos);
  CHECK(page.find("logType=stderr") != std::string::npos);

  LogRequest driver{"", "", "driver-7", "stderr"};
  auto driver_path = logFilePath(s, driver);
  REQUIRE(driver_path.isOk());
  CHECK(readLogTail(*driver_path, 1000)->text == "driver says hi\n");
}

TEST_CASE("worker log page: the last bytes only, escaped", "[ui]") {
  LogDir dir;
  WorkerStatus s = statusOf(dir);
  LogRequest r{"app-1", "0", "", "stderr", 15};
  auto tail = readLogTail(*logFilePath(s, r), r.max_bytes);
  REQUIRE(tail.isOk());
  CHECK(tail->text == "<b>the end</b>\n");
  CHECK(tail->file_size == 1015);
  CHECK(tail->start == 1000);
  std::string page = renderLogPage(s, r, *tail);
  CHECK(page.find("&lt;b&gt;the end&lt;/b&gt;") != std::string::npos);
  CHECK(page.find("show more") != std::string::npos);
}

TEST_CASE("worker log page: path traversal and unknown executors are refused", "[ui]") {
  LogDir dir;
  WorkerStatus s = statusOf(dir);
  CHECK(logFilePath(s, {"app-1", "0", "", "../secret"}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(logFilePath(s, {"app-1", "0", "", "stdin"}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(logFilePath(s, {"app-1", "../..", "", "stdout"}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(logFilePath(s, {"..", "0", "", "stdout"}).status().code() == StatusCode::kInvalidArgument);
  CHECK(logFilePath(s, {"", "", "../driver-7", "stdout"}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(logFilePath(s, {"app-1", "", "", "stdout"}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(logFilePath(s, {"app-2", "0", "", "stdout"}).status().code() == StatusCode::kNotFound);
  CHECK(logFilePath(s, {"", "", "driver-8", "stdout"}).status().code() == StatusCode::kNotFound);
  // Known driver, no stdout written: not found, not a crash.
  auto path = logFilePath(s, {"", "", "driver-7", "stdout"});
  REQUIRE(path.isOk());
  CHECK(readLogTail(*path, 100).status().code() == StatusCode::kNotFound);
}
