// The shuffle outputs an executor has spilled to disk, as tests see them: BlockManager names
// each spill file shuffle_<shuffle>_<map>_<n>.data under its spill dir.
#pragma once

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <system_error>

namespace sluice::testing {

// The shuffle ids of every spill file anywhere below dir (none when dir does not exist).
inline std::set<int> shuffleIdsOnDisk(const std::filesystem::path& dir) {
  static const std::regex kSpill(R"(shuffle_(\d+)_\d+_\d+\.data)");
  std::set<int> ids;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::smatch m;
    std::string name = it->path().filename().string();
    if (std::regex_match(name, m, kSpill)) ids.insert(std::stoi(m[1].str()));
  }
  return ids;
}

}  // namespace sluice::testing
