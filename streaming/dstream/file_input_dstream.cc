#include "streaming/dstream/file_input_dstream.h"

#include <algorithm>

#include "streaming/streaming_context.h"

namespace sluice {
namespace fs = std::filesystem;

std::vector<std::string> FileInputDStream::newFiles() {
  std::vector<std::string> found;
  std::error_code ec;
  fs::directory_iterator it(dir_, ec), end;
  if (ec) {
    spdlog::warn("textFileStream: cannot list {}: {}", dir_, ec.message());
    return found;
  }
  for (; it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (name.empty() || name[0] == '.' || name[0] == '_' || !it->is_regular_file(ec)) continue;
    if (seen_.count(name)) continue;
    auto mtime = it->last_write_time(ec);
    if (ec || mtime < start_) continue;
    seen_.insert(name);
    found.push_back(fs::absolute(p).string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::optional<RDD<std::string>> FileInputDStream::compute(Time t) {
  std::vector<std::string> files = newFiles();
  std::vector<RDD<std::string>> rdds;
  for (const auto& f : files) rdds.push_back(context()->context().textFile(f));
  if (!files.empty()) spdlog::info("textFileStream: batch {} reads {} new file(s) from {}", t, files.size(), dir_);
  return unionAll(jobContext(), rdds);
}

}  // namespace sluice
