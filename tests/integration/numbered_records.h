// Numbered records for the recovery tests: sluice-gen --numbered as a child process, and
// every record counted by its number in the saved output (out-*/part-*).
#pragma once

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

namespace sluice::testing {

// sluice-gen --numbered on a free port: count lines at rate lines/s, exits once every line
// is acknowledged.
struct NumberedGenerator : GeneratorProcess {
  NumberedGenerator(const TempDir& tmp, int64_t rate, int64_t count)
      : GeneratorProcess(tmp, {"--numbered", "--rate", std::to_string(rate), "--count", std::to_string(count)}) {}
};

struct Counted {
  int64_t lost = 0;
  int64_t duplicated = 0;
  int64_t distinct = 0;
};

// Every record number 0..count-1 in the saved output (out-*/part-*): how many are missing,
// how many appear more than once.
inline Counted countRecords(const TempDir& tmp, int64_t count) {
  std::vector<int> seen(static_cast<size_t>(count), 0);
  for (const auto& dir : std::filesystem::directory_iterator(tmp.path())) {
    if (dir.path().filename().string().rfind("out-", 0) != 0) continue;
    for (const auto& part : std::filesystem::directory_iterator(dir.path())) {
      if (part.path().filename().string().rfind("part-", 0) != 0) continue;
      std::istringstream in(readFile(part.path()));
      for (int64_t seq; in >> seq;)
        if (seq >= 0 && seq < count) ++seen[static_cast<size_t>(seq)];
    }
  }
  Counted c;
  for (int n : seen) {
    if (n == 0) ++c.lost;
    if (n > 1) ++c.duplicated;
    if (n > 0) ++c.distinct;
  }
  return c;
}

}  // namespace sluice::testing
