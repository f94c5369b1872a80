// The worker's log page (Spark's worker LogPage): GET /logPage?appId=&executorId=&logType=
// (or ?driverId=&logType=) shows the last bytes of an executor's or driver's stdout or
// stderr from its work dir.
//
// The file is found only through the worker's own records: the executor or driver must be
// one the worker runs or ran, and logType must be "stdout" or "stderr"; nothing in the
// request becomes part of a path, so "../" and the like are refused, never followed.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "worker/worker_status.h"

namespace sluice::worker {

struct LogRequest {
  std::string app_id;
  std::string executor_id;
  std::string driver_id;  // instead of app_id/executor_id
  std::string log_type;   // "stdout" or "stderr"
  int64_t max_bytes = kDefaultLogBytes;

  static constexpr int64_t kDefaultLogBytes = 100 * 1024;
  static constexpr int64_t kMaxLogBytes = 4 * 1024 * 1024;
};

// The log file the request names: InvalidArgument for a logType other than stdout/stderr
// or ids with '/', '\\' or "..", NotFound for an executor or driver the worker does not know.
StatusOr<std::string> logFilePath(const WorkerStatus& status, const LogRequest& request);

struct LogTail {
  std::string text;  // bytes [start, file_size) of the file
  int64_t start = 0;
  int64_t file_size = 0;
};

// The last max_bytes (clamped to [1, kMaxLogBytes]) of the file; NotFound when it does
// not exist, IoError when it cannot be read.
StatusOr<LogTail> readLogTail(const std::string& path, int64_t max_bytes);

// The HTML page: what log it is, which bytes of how many, the text, links to the other log
// type and to more bytes.
std::string renderLogPage(const WorkerStatus& status, const LogRequest& request,
                          const LogTail& tail);

}  // namespace sluice::worker
