#include "worker/work_dir_cleanup.h"

#include <filesystem>

#include <spdlog/spdlog.h>

namespace sluice::worker {

namespace fs = std::filesystem;

namespace {

bool isLog(const fs::path& p) { return p.filename() == "stdout" || p.filename() == "stderr"; }

// Removes all but the logs under dir; true when dir holds none (it may go too).
bool scrub(const fs::path& dir) {
  std::error_code ec;
  bool empty = true;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::error_code type_ec;
    if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
      if (scrub(entry.path())) {
        fs::remove(entry.path(), ec);
      } else {
        empty = false;
      }
    } else if (isLog(entry.path())) {
      empty = false;
    } else if (!fs::remove(entry.path(), ec) && ec) {
      spdlog::warn("cannot remove {}: {}", entry.path().string(), ec.message());
      empty = false;
    }
  }
  return empty;
}

// The newest modification time of the files under dir (not of its dirs, which the scrub
// itself touches); the oldest time when there is none.
fs::file_time_type newestWrite(const fs::path& dir) {
  std::error_code ec;
  fs::file_time_type newest = fs::file_time_type::min();
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code t_ec;
    if (it->is_directory(t_ec)) continue;
    auto t = fs::last_write_time(it->path(), t_ec);
    if (!t_ec && t > newest) newest = t;
  }
  return newest;
}

}  // namespace

void removeAllButLogs(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) scrub(dir);
}

std::vector<std::string> cleanWorkDir(const std::string& work_dir, const std::set<std::string>& in_use,
                                      std::chrono::milliseconds ttl) {
  std::vector<std::string> removed;
  std::error_code ec;
  auto cutoff = fs::file_time_type::clock::now() - ttl;
  for (const auto& entry : fs::directory_iterator(work_dir, ec)) {
    std::error_code type_ec;
    if (!entry.is_directory(type_ec) || in_use.count(entry.path().filename().string())) continue;
    scrub(entry.path());
    if (newestWrite(entry.path()) < cutoff) {
      std::error_code rm_ec;
      fs::remove_all(entry.path(), rm_ec);
      if (rm_ec) spdlog::warn("cannot remove {}: {}", entry.path().string(), rm_ec.message());
      else removed.push_back(entry.path().string());
    }
  }
  return removed;
}

}  // namespace sluice::worker
