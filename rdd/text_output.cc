#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <spdlog/spdlog.h>

#include "rdd/rdd.h"

namespace sluice::detail {
namespace fs = std::filesystem;

void prepareOutputDir(const std::string& dir) {
  if (fs::exists(dir)) throw JobFailedError("output directory " + dir + " already exists");
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "_temporary", ec);
  if (ec) throw JobFailedError("cannot create output directory " + dir + ": " + ec.message());
}

void writeTextPart(const std::string& dir, int split, FunctionRef<void(std::ostream&)> write_lines) {
  char name[32];
  std::snprintf(name, sizeof name, "part-%05d", split);
  std::random_device rd;
  fs::path tmp = fs::path(dir) / "_temporary" / (std::string(name) + "." + std::to_string(::getpid()) + "." + std::to_string(rd()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    write_lines(out);
    out.flush();
    if (!out) throw std::runtime_error("write failed: " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, fs::path(dir) / name, ec);
  if (ec) throw std::runtime_error("cannot commit " + tmp.string() + ": " + ec.message());
}

void commitOutputDir(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(fs::path(dir) / "_temporary", ec);
  std::ofstream(fs::path(dir) / "_SUCCESS").flush();
}

void abortOutputDir(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) spdlog::warn("cannot remove the output of a failed job, {}: {}", dir, ec.message());
}

}  // namespace sluice::detail
