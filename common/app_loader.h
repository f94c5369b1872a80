// Loading application libraries: the driver loads the user's .so to run its entry point;
// executors load the same bytes, fetched from the driver and cached by content hash, so that
// every node kind and function the lineage names is registered.
#pragma once

#include <string>

#include "common/status.h"

namespace sluice {

// The ABI tag an application must export (SLUICE_APP defines it).
constexpr const char* kAppAbi = "sluice-app-1";

struct AppFile {
  std::string hash;  // XXH3-128 of the contents, hex
  int64_t size = 0;
};

StatusOr<AppFile> describeAppFile(const std::string& path);
// Reads length bytes at offset.
StatusOr<std::string> readFileRange(const std::string& path, int64_t offset, int64_t length);

// dlopen()s path and checks that it is a Sluice application of this ABI. Returns the
// handle; the library stays loaded for the life of the process. Loading the same path
// twice returns the same handle.
StatusOr<void*> loadAppLibrary(const std::string& path);

}  // namespace sluice
