// ScratchDir: a directory under the temp dir named <name>-<pid>, empty when the test starts
// and removed with everything in it when the ScratchDir goes.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace sluice::testing {

struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace sluice::testing
