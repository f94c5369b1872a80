// sluice-wc-reference: word count as a hand-written loop, the reference that Sluice's word
// count is measured against (bench/README.md).
//
//   sluice-wc-reference [--threads N] <file>
//
// It maps the file and cuts it into N ranges at line ends; a thread per range counts its
// words (split on ' ' as sluice::split does) in an abseil flat_hash_map of std::string,
// looked up by views into the mapped file with the inline short-string hash and equality
// that Sluice's combine maps use (rdd/combine_map.h): no allocation per word, and the keys
// sit in the table's slots. Then the N maps are merged. Prints one JSON object, timed from
// the file's open to the end of the merge:
//
//   {"bench":"wc-reference","threads":2,"lines":10000000,"words":65003911,
//    "distinct_words":10000,"seconds":1.1,"lines_per_s":9090909}
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "rdd/combine_map.h"

namespace {

using Counts = absl::flat_hash_map<std::string, int64_t, sluice::CombineStringHash, sluice::CombineStringEq>;

struct RangeResult {
  Counts counts;
  int64_t lines = 0;
  int64_t words = 0;
};

// Counts the words of [begin, end), which starts at a line's start and ends after a '\n'
// (or at the end of the file).
void countRange(const char* begin, const char* end, RangeResult& out) {
  const char* p = begin;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    ++out.lines;
    while (p < line_end) {
      while (p < line_end && *p == ' ') ++p;
      const char* w = p;
      while (p < line_end && *p != ' ') ++p;
      if (p > w) {
        std::string_view word(w, static_cast<size_t>(p - w));
        auto it = out.counts.find(word);
        if (it == out.counts.end()) {
          out.counts.emplace(word, 1);
        } else {
          ++it->second;
        }
        ++out.words;
      }
    }
    p = line_end + 1;
  }
}

// The offset after the first '\n' at or after pos (the file's size when there is none).
int64_t lineStartAtOrAfter(int fd, int64_t pos) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, pos);
    if (n <= 0) return pos;
    const void* nl = std::memchr(buf, '\n', static_cast<size_t>(n));
    if (nl) return pos + (static_cast<const char*>(nl) - buf) + 1;
    pos += n;
  }
}

int usage() {
  std::fprintf(stderr, "usage: sluice-wc-reference [--threads N] <file>\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (argv[i][0] == '-') {
      return usage();
    } else {
      path = argv[i];
    }
  }
  if (!path || threads < 1) return usage();

  auto start = std::chrono::steady_clock::now();
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    std::fprintf(stderr, "sluice-wc-reference: cannot read %s: %s\n", path, std::strerror(errno));
    return 1;
  }
  const int64_t size = st.st_size;
  const char* data = size == 0 ? nullptr
                               : static_cast<const char*>(::mmap(nullptr, static_cast<size_t>(size), PROT_READ,
                                                                 MAP_PRIVATE, fd, 0));
  if (data == MAP_FAILED) {
    std::fprintf(stderr, "sluice-wc-reference: cannot map %s: %s\n", path, std::strerror(errno));
    return 1;
  }

  // Range i starts after the first '\n' before i * size / threads (0 for the first).
  std::vector<int64_t> cuts{0};
  for (int i = 1; i < threads; ++i) cuts.push_back(std::max(cuts.back(), lineStartAtOrAfter(fd, size * i / threads)));
  cuts.push_back(size);
  std::vector<RangeResult> results(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      countRange(data + cuts[i], data + cuts[i + 1], results[static_cast<size_t>(i)]);
    });
  }
  for (auto& t : workers) t.join();
  Counts total = std::move(results[0].counts);
  int64_t lines = results[0].lines, words = results[0].words;
  for (size_t i = 1; i < results.size(); ++i) {
    for (const auto& [w, n] : results[i].counts) total[w] += n;
    lines += results[i].lines;
    words += results[i].words;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"bench\":\"wc-reference\",\"threads\":%d,\"lines\":%lld,\"words\":%lld,\"distinct_words\":%zu,"
      "\"seconds\":%.3f,\"lines_per_s\":%.0f}\n",
      threads, static_cast<long long>(lines), static_cast<long long>(words), total.size(), seconds,
      static_cast<double>(lines) / seconds);
  if (size) ::munmap(const_cast<char*>(data), static_cast<size_t>(size));
  ::close(fd);
  return 0;
}
