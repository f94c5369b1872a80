#include "driver/shipped_files.h"

#include <filesystem>
#include <set>

#include "common/app_loader.h"
#include "common/config_keys.h"
#include "common/paths.h"

namespace sluice {
namespace fs = std::filesystem;

StatusOr<std::vector<ServedFile>> describeShippedFiles(const Conf& conf) {
  std::vector<ServedFile> files;
  std::set<std::string> names;
  for (const auto& path : splitPathList(conf.get(keys::kFiles))) {
    std::string name = fs::path(path).filename().string();
    if (!names.insert(name).second) {
      return Status::invalidArgument(std::string(keys::kFiles.name) + ": two files are named " + name +
                                     "; executors keep them by base name");
    }
    auto described = describeAppFile(path);
    if (!described) {
      return Status::invalidArgument(std::string(keys::kFiles.name) + ": cannot read " + path + " (" +
                                     described.status().message() + ")");
    }
    files.push_back({rpc::ShippedFile{name, described->hash, described->size}, path});
  }
  return files;
}

Status copyShippedFiles(const std::vector<ServedFile>& files, const std::string& dir) {
  for (const auto& f : files) {
    fs::path to = fs::path(dir) / f.file.name;
    std::error_code ec;
    if (fs::equivalent(f.path, to, ec)) continue;
    fs::copy_file(f.path, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::ioError("cannot copy " + f.path + " to " + to.string() + ": " + ec.message());
  }
  return Status::ok();
}

}  // namespace sluice
