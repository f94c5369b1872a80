// bench_app: the Sluice micro-benchmarks, one application with a mode per figure.
//
//   sluice-submit --master local[2] libbench_app.so wordcount <file> [lines]
//   sluice-submit --master local[2] libbench_app.so wordcount-vector <file> [lines]
//   sluice-submit --master local-cluster[2,1,1024] libbench_app.so empty-tasks <n>
//
// Each mode runs one small warm-up job (executors registered, application loaded, sockets
// connected), then times only the measured job, and prints one JSON object on stdout:
//
//   {"bench":"wordcount","master":"local[2]","lines":10000000,"bytes":...,"partitions":12,
//    "distinct_words":10000,"seconds":4.2,"lines_per_s":2380952}
//   {"bench":"empty-tasks","master":"local[2]","tasks":10000,"seconds":0.9,"tasks_per_s":11111}
//
// wordcount runs examples/word_count.cc's pipeline (sluice::split on ' ', (word, 1),
// reduceByKey) and ends with count() of the distinct words; wordcount-vector builds each
// line's words in a std::vector instead, as the pipeline was written before sluice::split. Its line count, when not given, is found by
// scanning the file in the driver before the clock starts.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <sluice/sluice.h>

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User + system CPU seconds of this (the driver's) process so far; in local mode that
// includes the task threads, in local-cluster mode it does not.
double processCpuSeconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// Lines of a file as TextFileRDD counts them: '\n'-terminated ones plus an unterminated
// tail. Returns -1 when the file cannot be read.
int64_t countLines(const std::string& path, int64_t* bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  std::vector<char> buf(1 << 20);
  int64_t lines = 0, total = 0;
  char last = '\n';
  ssize_t n;
  while ((n = ::read(fd, buf.data(), buf.size())) > 0) {
    const char* p = buf.data();
    const char* end = p + n;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr) {
      ++lines;
      ++p;
    }
    last = buf[static_cast<size_t>(n) - 1];
    total += n;
  }
  ::close(fd);
  if (n < 0) return -1;
  if (last != '\n') ++lines;
  *bytes = total;
  return lines;
}

// examples/word_count.cc's pipeline; count() of the distinct words.
int64_t countWords(const sluice::RDD<std::string>& lines) {
  return lines.flatMap([](const std::string& line) { return sluice::split(line, ' '); })
      .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
      .reduceByKey([](int64_t a, int64_t b) { return a + b; })
      .count();
}

// The same with the words of each line in a std::vector, as word count was written before
// sluice::split: what the engine alone gives, without the lazy split.
int64_t countWordsByVector(const sluice::RDD<std::string>& lines) {
  return lines
      .flatMap([](const std::string& line) {
        std::vector<std::string> words;
        size_t i = 0;
        while (i < line.size()) {
          while (i < line.size() && line[i] == ' ') ++i;
          size_t j = i;
          while (j < line.size() && line[j] != ' ') ++j;
          if (j > i) words.emplace_back(line, i, j - i);
          i = j;
        }
        return words;
      })
      .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
      .reduceByKey([](int64_t a, int64_t b) { return a + b; })
      .count();
}

void warmUp(sluice::Context& ctx) {
  int n = std::max(2, ctx.defaultParallelism());
  ctx.parallelize(std::vector<int>(static_cast<size_t>(n) * 4, 1), n).count();
}

int wordCount(sluice::Context& ctx, const std::vector<std::string>& args, bool vector_per_line) {
  if (args.size() < 2) {
    std::cerr << "usage: bench_app wordcount|wordcount-vector <file> [lines]\n";
    return 2;
  }
  // Executors run in their own work directories: resolve the path here, in the driver.
  std::error_code ec;
  const std::string path = std::filesystem::absolute(args[1], ec).string();
  int64_t bytes = 0;
  int64_t lines = countLines(path, &bytes);
  if (lines < 0) {
    std::cerr << "bench_app: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  if (args.size() > 2) lines = std::stoll(args[2]);
  warmUp(ctx);

  double cpu_start = processCpuSeconds();
  auto start = std::chrono::steady_clock::now();
  auto input = ctx.textFile(path);
  int64_t distinct = vector_per_line ? countWordsByVector(input) : countWords(input);
  double seconds = secondsSince(start);
  double cpu = processCpuSeconds() - cpu_start;

  std::printf(
      "{\"bench\":\"%s\",\"master\":\"%s\",\"lines\":%lld,\"bytes\":%lld,\"partitions\":%d,"
      "\"distinct_words\":%lld,\"seconds\":%.3f,\"driver_cpu_s\":%.3f,\"lines_per_s\":%.0f}\n",
      args[0].c_str(), ctx.master().c_str(), static_cast<long long>(lines), static_cast<long long>(bytes),
      input.numPartitions(),
      static_cast<long long>(distinct), seconds, cpu, static_cast<double>(lines) / seconds);
  std::fflush(stdout);
  return 0;
}

int emptyTasks(sluice::Context& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2) {
    std::cerr << "usage: bench_app empty-tasks <n>\n";
    return 2;
  }
  int n = std::stoi(args[1]);
  if (n < 1) {
    std::cerr << "bench_app: empty-tasks needs n >= 1\n";
    return 2;
  }
  warmUp(ctx);
  // One record per partition: the tasks do nothing but run and report.
  auto rdd = ctx.parallelize(std::vector<int>(static_cast<size_t>(n), 0), n);
  double cpu_start = processCpuSeconds();
  auto start = std::chrono::steady_clock::now();
  rdd.foreach([](const int&) {});
  double seconds = secondsSince(start);
  double cpu = processCpuSeconds() - cpu_start;
  std::printf(
      "{\"bench\":\"empty-tasks\",\"master\":\"%s\",\"tasks\":%d,\"seconds\":%.3f,\"driver_cpu_s\":%.3f,"
      "\"tasks_per_s\":%.0f}\n",
      ctx.master().c_str(), n, seconds, cpu, n / seconds);
  std::fflush(stdout);
  return 0;
}

}  // namespace

SLUICE_APP(ctx, args) {
  std::string mode = args.empty() ? "" : args[0];
  if (mode == "wordcount") return wordCount(ctx, args, false);
  if (mode == "wordcount-vector") return wordCount(ctx, args, true);
  if (mode == "empty-tasks") return emptyTasks(ctx, args);
  std::cerr << "usage: bench_app wordcount|wordcount-vector <file> [lines] | empty-tasks <n>\n";
  return 2;
}
