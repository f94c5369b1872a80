// submit_app: what sluice-submit's paths and flags tests run (tests/integration/submit_test.cc).
//
//   libsubmit_app.so save <out>          saves the numbers 0..99 (4 partitions) to <out>
//   libsubmit_app.so fail-save <out>     the same, but the task holding 77 throws: the job fails
//   libsubmit_app.so files <out>         every task reads "shipped.txt" (sluice-submit --files)
//                                        from its own directory and saves "<partition> <first
//                                        line>"; the driver prints "driver reads: <first line>"
//                                        when the file is in its own directory too
#include <fstream>
#include <iostream>
#include <numeric>
#include <stdexcept>

#include <sluice/sluice.h>

namespace {

// The first line of path, or "(missing)".
std::string firstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "(missing)";
  return line;
}

}  // namespace

SLUICE_APP(ctx, args) {
  if (args.size() < 2) {
    std::cerr << "usage: submit_app save|fail-save|files <out>\n";
    return 2;
  }
  const std::string& mode = args[0];
  std::vector<int> numbers(100);
  std::iota(numbers.begin(), numbers.end(), 0);
  if (mode == "save" || mode == "fail-save") {
    auto rdd = ctx.parallelize(numbers, 4);
    if (mode == "fail-save") {
      rdd = rdd.map([](int&& x) {
        if (x == 77) throw std::runtime_error("submit_app: failing on 77 as asked");
        return x;
      });
    }
    rdd.saveAsTextFile(args[1]);
    return 0;
  }
  if (mode == "files") {
    std::cout << "driver reads: " << firstLine("shipped.txt") << std::endl;
    ctx.parallelize(std::vector<int>{0, 1, 2, 3}, 4)
        .map([](int&& p) { return std::to_string(p) + " " + firstLine("shipped.txt"); })
        .saveAsTextFile(args[1]);
    return 0;
  }
  std::cerr << "submit_app: unknown mode " << mode << "\n";
  return 2;
}
