// Output operations on the manual clock: foreachRDD, print (Spark's exact format) and
// saveAsTextFiles (one directory per batch, written atomically).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
namespace fs = std::filesystem;

namespace {

const std::string kRule = "-------------------------------------------\n";

std::string header(Time t) { return kRule + "Time: " + std::to_string(t) + " ms\n" + kRule; }

// Runs print(num) over input and returns what it wrote to std::cout.
template <class T>
std::string printed(const Seqs<T>& input, int num, int batches) {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  testInputStream(ssc, input).print(num);
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  runBatches(ssc, batches);
  std::cout.rdbuf(old);
  return captured.str();
}

// Every line of the part files in dir, sorted; the names of the entries of dir.
std::pair<std::vector<std::string>, std::set<std::string>> readOutput(const fs::path& dir) {
  std::vector<std::string> lines;
  std::set<std::string> names;
  for (auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    names.insert(name);
    if (name.rfind("part-", 0) != 0) continue;
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return {lines, names};
}

struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("sluice-outputs-" + std::to_string(::getpid()) + "-" +
                                               std::to_string(reinterpret_cast<uintptr_t>(this)));
  ScratchDir() { fs::create_directories(path); }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("print shows the batch time and the first elements, as Spark", "[streaming][output]") {
  std::vector<int> twelve{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::string out = printed(Seqs<int>{twelve, {}, {1, 2, 3}}, 10, 3);
  CHECK(out == header(1000) + "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n...\n\n" +  // more than 10: "..."
                   header(2000) + "\n" +                                    // an empty batch
                   header(3000) + "1\n2\n3\n\n");
}

TEST_CASE("print(n) with exactly n elements has no ellipsis, pairs print as tuples", "[streaming][output]") {
  using SI = std::pair<std::string, int>;
  std::string out = printed(Seqs<SI>{{{"a", 1}, {"b", 2}}, {{"a", 1}, {"b", 2}, {"c", 3}}}, 2, 2);
  CHECK(out == header(1000) + "(a,1)\n(b,2)\n\n" + header(2000) + "(a,1)\n(b,2)\n...\n\n");
}

TEST_CASE("printedBatch formats one batch", "[streaming][output]") {
  CHECK(printedBatch(std::vector<int>{}, 10, 5000) == header(5000) + "\n");
  CHECK(printedBatch(std::vector<int>{7, 8}, 1, 100) == header(100) + "7\n...\n\n");
  CHECK(printedBatch(std::vector<std::string>{"x"}, 0, 100) == header(100) + "...\n\n");
}

TEST_CASE("foreachRDD runs every batch, also empty ones, with the batch time", "[streaming][output]") {
  auto ctx = manualContext();
  StreamingContext ssc(*ctx, Seconds(1));
  std::mutex mu;
  std::vector<std::pair<Time, int64_t>> seen;
  testInputStream(ssc, Seqs<int>{{1, 2}, {}, {3}}).foreachRDD([&](const RDD<int>& rdd, Time t) {
    int64_t n = rdd.count();
    std::lock_guard<std::mutex> lock(mu);
    seen.emplace_back(t, n);
  });
  int calls_without_time = 0;
  testInputStream(ssc, Seqs<int>{{1}}).foreachRDD([&](const RDD<int>&) { ++calls_without_time; });
  runBatches(ssc, 4);
  CHECK(seen == std::vector<std::pair<Time, int64_t>>{{1000, 2}, {2000, 0}, {3000, 1}, {4000, 0}});
  CHECK(calls_without_time == 4);
}

TEST_CASE("batchFileName follows Spark's rddToFileName", "[streaming][output]") {
  CHECK(batchFileName("out", "txt", 1000) == "out-1000.txt");
  CHECK(batchFileName("out", "", 1000) == "out-1000");
  CHECK(batchFileName("", "txt", 1000) == "1000.txt");
  CHECK(batchFileName("", "", 1000) == "1000");
}

TEST_CASE("saveAsTextFiles writes one directory per batch", "[streaming][output]") {
  ScratchDir scratch;
  std::string prefix = (scratch.path / "words").string();
  {
    auto ctx = manualContext();
    StreamingContext ssc(*ctx, Seconds(1));
    testInputStream(ssc, Seqs<std::string>{{"a", "b", "c"}, {}, {"d"}}).saveAsTextFiles(prefix, "txt");
    testInputStream(ssc, Seqs<int>{{1, 2}}).saveAsTextFiles((scratch.path / "numbers").string());
    runBatches(ssc, 3);
  }
  auto [lines1, names1] = readOutput(scratch.path / "words-1000.txt");
  CHECK(lines1 == std::vector<std::string>{"a", "b", "c"});
  CHECK(names1.count("_SUCCESS") == 1);
  CHECK(names1.count("_temporary") == 0);
  CHECK(readOutput(scratch.path / "words-2000.txt").first.empty());
  CHECK(readOutput(scratch.path / "words-3000.txt").first == std::vector<std::string>{"d"});
  CHECK(readOutput(scratch.path / "numbers-1000").first == std::vector<std::string>{"1", "2"});
  std::set<std::string> entries;
  for (auto& e : fs::directory_iterator(scratch.path)) entries.insert(e.path().filename().string());
  // Nothing else: no temporary directory is left behind.
  CHECK(entries == std::set<std::string>{"numbers-1000", "numbers-2000", "numbers-3000", "words-1000.txt",
                                         "words-2000.txt", "words-3000.txt"});
}

TEST_CASE("saveAsTextFiles: a batch run again replaces its directory", "[streaming][output]") {
  ScratchDir scratch;
  std::string prefix = (scratch.path / "out").string();
  for (auto& input : {Seqs<std::string>{{"old1", "old2", "old3", "old4"}}, Seqs<std::string>{{"new"}}}) {
    auto ctx = manualContext();
    StreamingContext ssc(*ctx, Seconds(1));
    testInputStream(ssc, input).saveAsTextFiles(prefix, "txt");
    runBatches(ssc, 1);
  }
  auto [lines, names] = readOutput(scratch.path / "out-1000.txt");
  CHECK(lines == std::vector<std::string>{"new"});
  std::set<std::string> entries;
  for (auto& e : fs::directory_iterator(scratch.path)) entries.insert(e.path().filename().string());
  CHECK(entries == std::set<std::string>{"out-1000.txt"});
}

TEST_CASE("saveDirectoryAtomically removes its temporary directory when writing fails", "[streaming][output]") {
  ScratchDir scratch;
  std::string dir = (scratch.path / "failed").string();
  CHECK_THROWS_WITH(saveDirectoryAtomically(dir, [](const std::string& tmp) {
    fs::create_directories(tmp);
    std::ofstream(fs::path(tmp) / "part-00000") << "half\n";
    throw std::runtime_error("disk full");
  }), "disk full");
  CHECK(fs::is_empty(scratch.path));
}
