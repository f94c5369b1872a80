#include "common/app_loader.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include <spdlog/fmt/fmt.h>
#include <xxhash.h>

namespace sluice {

StatusOr<AppFile> describeAppFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::notFound("application file " + path + ": " + std::strerror(errno));
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  std::string buf(1 << 20, '\0');
  int64_t size = 0;
  ssize_t n;
  while ((n = ::read(fd, buf.data(), buf.size())) > 0) {
    XXH3_128bits_update(state, buf.data(), static_cast<size_t>(n));
    size += n;
  }
  ::close(fd);
  XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  if (n < 0) return Status::ioError("cannot read " + path);
  return AppFile{fmt::format("{:016x}{:016x}", h.high64, h.low64), size};
}

StatusOr<std::string> readFileRange(const std::string& path, int64_t offset, int64_t length) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::notFound("cannot open " + path + ": " + std::strerror(errno));
  std::string bytes(static_cast<size_t>(length), '\0');
  ssize_t n = ::pread(fd, bytes.data(), bytes.size(), offset);
  ::close(fd);
  if (n < 0) return Status::ioError("cannot read " + path);
  bytes.resize(static_cast<size_t>(n));
  return bytes;
}

StatusOr<void*> loadAppLibrary(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::notFound("application file not found: " + path);
  }
  std::string abs = std::filesystem::absolute(path, ec).string();
  void* handle = ::dlopen(abs.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    return Status::invalidArgument("not a loadable Sluice application: " + path + ": " + ::dlerror());
  }
  using AbiFn = const char* (*)();
  auto abi = reinterpret_cast<AbiFn>(::dlsym(handle, "sluice_app_abi"));
  if (!abi || !::dlsym(handle, "sluice_app_main")) {
    ::dlclose(handle);
    return Status::invalidArgument("not a Sluice application (no SLUICE_APP entry point): " + path);
  }
  if (std::strcmp(abi(), kAppAbi) != 0) {
    return Status::invalidArgument("application " + path + " was built for " + abi() + ", this is " + kAppAbi);
  }
  return handle;
}

}  // namespace sluice
