#include "wal/checkpoint_file.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <charconv>

#include "wal/coding.h"
#include "wal/crc32c.h"
#include "wal/format.h"

namespace sluice::wal {

namespace {

constexpr std::string_view kPrefix = "checkpoint-";
constexpr std::string_view kTempSuffix = ".tmp";

// The time of a "checkpoint-<timeMs>" name; -1 for anything else.
int64_t parseCheckpointName(std::string_view name) {
  if (name.substr(0, kPrefix.size()) != kPrefix) return -1;
  name.remove_prefix(kPrefix.size());
  int64_t time = -1;
  auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), time);
  if (ec != std::errc() || p != name.data() + name.size() || name.empty()) return -1;
  return time;
}

bool isTempName(std::string_view name) {
  return name.substr(0, kPrefix.size()) == kPrefix && name.size() > kTempSuffix.size() &&
         name.substr(name.size() - kTempSuffix.size()) == kTempSuffix;
}

}  // namespace

std::string encodeCheckpoint(std::string_view blob) {
  std::string out;
  out.reserve(kCheckpointHeaderSize + blob.size());
  putFixed(&out, kCheckpointMagic, 4);
  putFixed(&out, kCheckpointVersion, 2);
  putFixed(&out, 0, 2);
  putFixed(&out, blob.size(), 8);
  putFixed(&out, crc32c::mask(crc32c::value(blob.data(), blob.size())), 4);
  putFixed(&out, crc32c::mask(crc32c::value(out.data(), out.size())), 4);
  assert(out.size() == kCheckpointHeaderSize);
  out.append(blob);
  return out;
}

StatusOr<std::string> decodeCheckpoint(std::string_view file) {
  if (file.size() < kCheckpointHeaderSize) {
    return Status::corruption("truncated header (" + std::to_string(file.size()) + " of " +
                              std::to_string(kCheckpointHeaderSize) + " bytes)");
  }
  const char* h = file.data();
  if (decodeFixed(h, 4) != kCheckpointMagic) {
    return Status::corruption("bad magic (not a checkpoint-format file)");
  }
  if (crc32c::unmask(static_cast<uint32_t>(decodeFixed(h + 20, 4))) != crc32c::value(h, 20)) {
    return Status::corruption("header checksum mismatch");
  }
  if (auto version = decodeFixed(h + 4, 2); version != kCheckpointVersion) {
    return Status::corruption("format version " + std::to_string(version) +
                              " (this build reads " + std::to_string(kCheckpointVersion) + ")");
  }
  uint64_t length = decodeFixed(h + 8, 8);
  std::string_view blob = file.substr(kCheckpointHeaderSize);
  if (blob.size() != length) {
    return Status::corruption("header says " + std::to_string(length) + " bytes, file holds " +
                              std::to_string(blob.size()));
  }
  uint32_t crc = crc32c::unmask(static_cast<uint32_t>(decodeFixed(h + 16, 4)));
  if (crc != crc32c::value(blob.data(), blob.size())) return Status::corruption("checksum mismatch");
  return std::string(blob);
}

CheckpointFiles::CheckpointFiles(std::string dir, int keep, FileSystem* fs)
    : dir_(std::move(dir)), keep_(std::max(keep, 1)), fs_(fs != nullptr ? fs : posixFileSystem()) {}

std::string CheckpointFiles::pathOf(int64_t time_ms) const {
  return dir_ + "/" + std::string(kPrefix) + std::to_string(time_ms);
}

Status CheckpointFiles::write(std::string_view blob, int64_t time_ms) {
  if (time_ms < 0) return Status::invalidArgument("checkpoint time must be >= 0");
  SLUICE_RETURN_IF_ERROR(fs_->createDir(dir_));
  // A temp file left by a crash is removed by removeOld(), now or at a later write.
  SLUICE_RETURN_IF_ERROR(writeFileAtomically(fs_, pathOf(time_ms), encodeCheckpoint(blob)));
  return removeOld();
}

Status CheckpointFiles::removeOld() {
  auto names = fs_->listDir(dir_);
  if (!names) return names.status();
  for (const auto& name : *names) {
    if (isTempName(name)) fs_->removeFile(dir_ + "/" + name);
  }
  auto times = list();
  if (!times) return times.status();
  size_t excess = times->size() > static_cast<size_t>(keep_) ? times->size() - keep_ : 0;
  for (size_t i = 0; i < excess; ++i) {
    Status st = fs_->removeFile(pathOf((*times)[i]));
    if (!st && st.code() != StatusCode::kNotFound) return st;
  }
  return Status::ok();
}

StatusOr<std::vector<int64_t>> CheckpointFiles::list() const {
  auto names = fs_->listDir(dir_);
  if (!names) {
    if (names.status().code() == StatusCode::kNotFound) return std::vector<int64_t>{};
    return names.status();
  }
  std::vector<int64_t> times;
  for (const auto& name : *names) {
    if (int64_t t = parseCheckpointName(name); t >= 0) times.push_back(t);
  }
  std::sort(times.begin(), times.end());
  return times;
}

StatusOr<LoadedCheckpoint> CheckpointFiles::readLatest() const {
  auto times = list();
  if (!times) return times.status();
  if (times->empty()) return Status::notFound("no checkpoint in " + dir_);
  LoadedCheckpoint loaded;
  for (auto it = times->rbegin(); it != times->rend(); ++it) {
    const std::string name = std::string(kPrefix) + std::to_string(*it);
    auto file = readWholeFile(fs_, pathOf(*it));
    StatusOr<std::string> blob = file ? decodeCheckpoint(*file) : StatusOr<std::string>(file.status());
    if (blob) {
      loaded.time_ms = *it;
      loaded.blob = std::move(*blob);
      return loaded;
    }
    std::string why = name + ": " + blob.status().message();
    spdlog::warn("checkpoint {} is unusable, trying an older one: {}", pathOf(*it),
                 blob.status().message());
    loaded.skipped.push_back(std::move(why));
  }
  std::string all;
  for (const auto& s : loaded.skipped) all += (all.empty() ? "" : "; ") + s;
  return Status::corruption("no intact checkpoint in " + dir_ + ": " + all);
}

}  // namespace sluice::wal
