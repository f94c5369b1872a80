#include "rdd/text_file.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace sluice {
namespace {
namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it at scope end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("sluice-text-file-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& bytes) const {
    fs::path p = path_ / name;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
    return p.string();
  }

 private:
  fs::path path_;
};

std::vector<std::string> readSplit(const FileSplit& split) {
  std::vector<std::string> lines;
  Status st = readLines(split, [&](std::string&& line) { lines.push_back(std::move(line)); });
  REQUIRE(st);
  return lines;
}

// Plans splits of at most max_split_bytes and reads them all, in order.
std::vector<std::string> readAllSplits(const std::string& path, int64_t max_split_bytes,
                                       std::vector<FileSplit>* splits_out = nullptr) {
  auto splits = planTextSplits(path, 1, max_split_bytes);
  REQUIRE(splits);
  std::vector<std::string> lines;
  for (const FileSplit& split : *splits) {
    for (auto& line : readSplit(split)) lines.push_back(std::move(line));
  }
  if (splits_out) *splits_out = *splits;
  return lines;
}

// For every split size from 1 to 64 bytes, the splits' lines are expected, once each, in
// order. This is the core property: no line lost or duplicated at a split boundary.
void checkEverySplitSize(const std::string& path, const std::vector<std::string>& expected) {
  for (int64_t max_split_bytes = 1; max_split_bytes <= 64; ++max_split_bytes) {
    INFO("max_split_bytes = " << max_split_bytes);
    std::vector<FileSplit> splits;
    auto lines = readAllSplits(path, max_split_bytes, &splits);
    REQUIRE(lines == expected);
    for (const FileSplit& s : splits) {
      // Splits respect the size limit, allowing the Hadoop-style 10% slop for the tail.
      REQUIRE(s.length <= max_split_bytes + max_split_bytes / 10);
    }
  }
}

// Splits of one file must tile it: contiguous, non-overlapping, covering every byte.
void checkTiling(const std::vector<FileSplit>& splits, const std::string& path, int64_t size) {
  int64_t next = 0;
  for (const FileSplit& s : splits) {
    if (s.path != path) continue;
    REQUIRE(s.offset == next);
    REQUIRE(s.length >= 0);
    next += s.length;
  }
  REQUIRE(next == size);
}

TEST_CASE("text splits: lines of varied lengths, each read exactly once", "[rdd]") {
  TempDir dir;
  std::vector<std::string> expected = {"a",
                                       "bb",
                                       "a somewhat longer line of text here",
                                       "x",
                                       std::string(100, 'y'),
                                       "ccc",
                                       "dddd",
                                       "the last line"};
  std::string content;
  for (auto& l : expected) content += l + "\n";
  std::string path = dir.write("lines.txt", content);
  checkEverySplitSize(path, expected);

  for (int64_t max : {1, 3, 7, 64}) {
    auto splits = planTextSplits(path, 1, max);
    REQUIRE(splits);
    checkTiling(*splits, path, static_cast<int64_t>(content.size()));
  }
}

TEST_CASE("text splits: CRLF line endings are stripped", "[rdd]") {
  TempDir dir;
  std::vector<std::string> expected = {"first", "", "third line", "4", "fifth", ""};
  std::string content;
  for (auto& l : expected) content += l + "\r\n";
  std::string path = dir.write("crlf.txt", content);
  checkEverySplitSize(path, expected);
}

TEST_CASE("text splits: mixed LF and CRLF endings", "[rdd]") {
  TempDir dir;
  std::string path = dir.write("mixed.txt", "one\r\ntwo\nthree\r\n\r\nfive\n");
  checkEverySplitSize(path, {"one", "two", "three", "", "five"});
}

TEST_CASE("text splits: a file without a trailing newline keeps its last line", "[rdd]") {
  TempDir dir;
  std::string path = dir.write("no_newline.txt", "alpha\nbeta\ngamma without newline");
  checkEverySplitSize(path, {"alpha", "beta", "gamma without newline"});

  std::string crlf = dir.write("no_newline_crlf.txt", "alpha\r\nomega\r");
  checkEverySplitSize(crlf, {"alpha", "omega"});

  std::string single = dir.write("single.txt", "x");
  checkEverySplitSize(single, {"x"});
}

TEST_CASE("text splits: empty lines are lines", "[rdd]") {
  TempDir dir;
  std::string path = dir.write("empty_lines.txt", "\n\na\n\n\nb\n\n");
  checkEverySplitSize(path, {"", "", "a", "", "", "b", ""});

  std::string only_newlines = dir.write("only_newlines.txt", "\n\n\n");
  checkEverySplitSize(only_newlines, {"", "", ""});
}

TEST_CASE("text splits: an empty file has no lines", "[rdd]") {
  TempDir dir;
  std::string path = dir.write("empty.txt", "");
  checkEverySplitSize(path, {});
}

TEST_CASE("text splits: a directory reads its visible files in name order", "[rdd]") {
  TempDir dir;
  dir.write("b.txt", "b1\nb2 is longer\r\nb3");
  dir.write("a.txt", "a1\n\na3 line\n");
  dir.write(".hidden", "hidden1\nhidden2\n");
  dir.write("_SUCCESS", "");
  dir.write("_metadata", "meta\n");
  fs::create_directories(dir.path() / "subdir");
  dir.write("subdir/c.txt", "nested\n");
  std::vector<std::string> expected = {"a1", "", "a3 line", "b1", "b2 is longer", "b3"};
  checkEverySplitSize(dir.path().string(), expected);

  auto splits = planTextSplits(dir.path().string(), 1, 4);
  REQUIRE(splits);
  for (const FileSplit& s : *splits) {
    std::string name = fs::path(s.path).filename().string();
    CHECK((name == "a.txt" || name == "b.txt"));
  }
  checkTiling(*splits, (dir.path() / "a.txt").string(), 12);
  checkTiling(*splits, (dir.path() / "b.txt").string(), 19);
}

TEST_CASE("text splits: min_partitions cuts a file into about that many splits", "[rdd]") {
  TempDir dir;
  std::string content;
  std::vector<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    expected.push_back("line " + std::to_string(i));
    content += expected.back() + "\n";
  }
  std::string path = dir.write("big.txt", content);
  for (int min_partitions : {1, 2, 3, 8, 50}) {
    INFO("min_partitions = " << min_partitions);
    auto splits = planTextSplits(path, min_partitions);
    REQUIRE(splits);
    CHECK(static_cast<int>(splits->size()) >= min_partitions);
    CHECK(static_cast<int>(splits->size()) <= min_partitions + 1);
    checkTiling(*splits, path, static_cast<int64_t>(content.size()));
    std::vector<std::string> lines;
    for (const FileSplit& s : *splits) {
      for (auto& l : readSplit(s)) lines.push_back(std::move(l));
    }
    REQUIRE(lines == expected);
  }
}

TEST_CASE("text splits: a missing path is NotFound", "[rdd]") {
  TempDir dir;
  std::string missing = (dir.path() / "does-not-exist").string();
  auto splits = planTextSplits(missing, 2);
  REQUIRE_FALSE(splits);
  CHECK(splits.status().code() == StatusCode::kNotFound);
  CHECK_THAT(splits.status().message(), Catch::Contains("does-not-exist"));

  // Reading a split of a file that disappeared is an I/O error, not a crash.
  Status st = readLines(FileSplit{missing, 0, 10}, [](std::string&&) {});
  CHECK_FALSE(st);
  CHECK(st.code() == StatusCode::kIoError);
}

}  // namespace
}  // namespace sluice
