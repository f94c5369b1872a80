// wal_bench: write throughput of the write-ahead log from several threads under each fsync
// policy, on the real file system. Prints one machine-readable line per run and the
// throughput ratios against fsync=none:
//
//   wal_bench fsync=group record_bytes=1024 threads=4 records=... seconds=... records_per_s=...
//       mb_per_s=... fsyncs=... records_per_fsync=...
//   wal_bench ratio record_bytes=1024 group_over_none=... always_over_none=...
//
//   wal_bench [--dir DIR] [--seconds S] [--threads N] [--max-mb M] [--record-bytes 1024,100]
// DIR (default ./wal-bench-<pid>) is created and removed again; each run stops after S
// seconds (default 2) or M MiB written (default 512), whichever comes first. Each record
// size in the list (default 1024 and 100) is run under fsync=none, group and always.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "wal/write_ahead_log.h"

namespace {

using sluice::wal::FsyncPolicy;
using Clock = std::chrono::steady_clock;

struct Settings {
  std::string dir = "wal-bench-" + std::to_string(::getpid());
  double seconds = 2.0;
  int threads = 4;
  uint64_t max_bytes = uint64_t{512} << 20;
  std::vector<size_t> record_bytes = {1024, 100};
};

struct Result {
  uint64_t records = 0;
  double seconds = 0;
  uint64_t fsyncs = 0;
  bool ok = true;
};

Result runOne(const Settings& s, FsyncPolicy policy, size_t record_bytes) {
  const std::string dir = s.dir + "/" + sluice::wal::fsyncPolicyName(policy) + "-" +
                          std::to_string(record_bytes);
  sluice::wal::WalOptions options;
  options.fsync = policy;
  options.rolling_interval_ms = int64_t{1} << 40;  // roll by size only
  auto wal = sluice::wal::WriteAheadLog::open(dir, options);
  Result result;
  if (!wal) {
    std::fprintf(stderr, "wal_bench: %s\n", wal.status().toString().c_str());
    result.ok = false;
    return result;
  }
  const uint64_t max_records = s.max_bytes / record_bytes;
  std::atomic<uint64_t> written{0};
  std::atomic<bool> failed{false};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(s.seconds);
  std::vector<std::thread> writers;
  for (int t = 0; t < s.threads; ++t) {
    writers.emplace_back([&, t] {
      std::string record(record_bytes, static_cast<char>('a' + t));
      while (!failed && Clock::now() < deadline && written.fetch_add(1) < max_records) {
        auto handle = (*wal)->write(record, 0);
        if (!handle) {
          std::fprintf(stderr, "wal_bench: %s\n", handle.status().toString().c_str());
          failed = true;
        }
      }
    });
  }
  for (auto& w : writers) w.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.records = std::min<uint64_t>(written.load() - s.threads, max_records);
  result.fsyncs = (*wal)->syncCount();
  result.ok = !failed;
  wal->reset();
  std::filesystem::remove_all(dir);
  return result;
}

bool parseArgs(int argc, char** argv, Settings* s) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return false;
    std::string value = argv[++i];
    if (arg == "--dir") {
      s->dir = value;
    } else if (arg == "--seconds") {
      s->seconds = std::atof(value.c_str());
    } else if (arg == "--threads") {
      s->threads = std::atoi(value.c_str());
    } else if (arg == "--record-bytes") {
      s->record_bytes.clear();
      for (size_t pos = 0; pos < value.size();) {
        size_t comma = value.find(',', pos);
        if (comma == std::string::npos) comma = value.size();
        size_t n = std::strtoull(value.substr(pos, comma - pos).c_str(), nullptr, 10);
        if (n == 0) return false;
        s->record_bytes.push_back(n);
        pos = comma + 1;
      }
    } else if (arg == "--max-mb") {
      s->max_bytes = std::strtoull(value.c_str(), nullptr, 10) << 20;
    } else {
      return false;
    }
  }
  return s->seconds > 0 && s->threads > 0 && s->max_bytes > 0 && !s->record_bytes.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  if (!parseArgs(argc, argv, &s)) {
    std::fprintf(stderr,
                 "usage: wal_bench [--dir DIR] [--seconds S] [--threads N] [--max-mb M] "
                 "[--record-bytes 1024,100]\n");
    return 2;
  }
  bool ok = true;
  for (size_t record_bytes : s.record_bytes) {
    std::map<FsyncPolicy, double> rate;
    for (FsyncPolicy policy : {FsyncPolicy::kNone, FsyncPolicy::kGroup, FsyncPolicy::kAlways}) {
      Result r = runOne(s, policy, record_bytes);
      ok = ok && r.ok;
      double per_s = r.seconds > 0 ? r.records / r.seconds : 0;
      rate[policy] = per_s;
      std::printf(
          "wal_bench fsync=%s record_bytes=%zu threads=%d records=%llu seconds=%.3f "
          "records_per_s=%.0f mb_per_s=%.2f fsyncs=%llu records_per_fsync=%.1f\n",
          sluice::wal::fsyncPolicyName(policy), record_bytes, s.threads,
          static_cast<unsigned long long>(r.records), r.seconds, per_s,
          per_s * record_bytes / (1024.0 * 1024.0), static_cast<unsigned long long>(r.fsyncs),
          r.fsyncs > 0 ? static_cast<double>(r.records) / r.fsyncs : 0.0);
      std::fflush(stdout);
    }
    double none = rate[FsyncPolicy::kNone];
    std::printf("wal_bench ratio record_bytes=%zu group_over_none=%.4f always_over_none=%.4f "
                "group_over_always=%.2f\n",
                record_bytes, none > 0 ? rate[FsyncPolicy::kGroup] / none : 0.0,
                none > 0 ? rate[FsyncPolicy::kAlways] / none : 0.0,
                rate[FsyncPolicy::kAlways] > 0 ? rate[FsyncPolicy::kGroup] / rate[FsyncPolicy::kAlways]
                                               : 0.0);
  }
  std::error_code ec;
  std::filesystem::remove(s.dir, ec);
  return ok ? 0 : 1;
}
