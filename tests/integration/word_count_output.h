// The output of examples/word_count as the integration tests read it: one "<word> <count>"
// line per word, in the part-* files of a finished job's directory.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "tests/integration/process_util.h"

namespace sluice::testing {

using WordCounts = std::map<std::string, int64_t>;

// The counts in every part file of dir. REQUIREs dir/_SUCCESS (the job finished) and
// CHECKs that each word is on exactly one line.
inline WordCounts readWordCounts(const std::string& dir) {
  WordCounts c;
  int duplicates = 0;
  REQUIRE(std::filesystem::exists(dir + "/_SUCCESS"));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("part-", 0) != 0) continue;
    std::istringstream in(readFile(entry.path()));
    std::string word;
    int64_t n;
    while (in >> word >> n) {
      duplicates += c.count(word) > 0;
      c[word] = n;
    }
  }
  CHECK(duplicates == 0);  // each word on exactly one output line
  return c;
}

}  // namespace sluice::testing
