#include "executor/block_manager.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

namespace sluice {
namespace fs = std::filesystem;

BlockManager::BlockManager(std::string spill_dir, int64_t memory_limit)
    : spill_dir_(std::move(spill_dir)), memory_limit_(memory_limit) {}

BlockManager::~BlockManager() {
  for (auto& [key, out] : shuffle_) dropOutput(out);
  std::error_code ec;
  fs::remove_all(spill_dir_, ec);
}

void BlockManager::setMemoryLimit(int64_t memory_limit) {
  std::lock_guard<std::mutex> lock(mu_);
  memory_limit_ = memory_limit;
}

std::shared_ptr<const void> BlockManager::getPartition(int rdd_id, int split) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = partitions_.find({rdd_id, split});
  return it == partitions_.end() ? nullptr : it->second;
}

void BlockManager::putPartition(int rdd_id, int split, std::shared_ptr<const void> data, int64_t) {
  std::lock_guard<std::mutex> lock(mu_);
  if (removed_rdds_.contains(rdd_id)) return;
  partitions_[{rdd_id, split}] = std::move(data);
}

Status BlockManager::putShuffleOutput(int shuffle_id, int map_id, std::vector<std::string> buckets) {
  ShuffleOutput out;
  for (auto& b : buckets) out.bytes += static_cast<int64_t>(b.size());
  bool spill;
  {
    std::lock_guard<std::mutex> lock(mu_);
    spill = out.bytes > 0 && memory_used_ + out.bytes > memory_limit_;
  }
  if (spill) {
    std::error_code ec;
    fs::create_directories(spill_dir_, ec);
    out.spill_path = spill_dir_ + "/shuffle_" + std::to_string(shuffle_id) + "_" + std::to_string(map_id) +
                     "_" + std::to_string(::getpid()) + ".data";
    std::ofstream file(out.spill_path, std::ios::binary | std::ios::trunc);
    out.offsets.push_back(0);
    for (auto& b : buckets) {
      file.write(b.data(), static_cast<std::streamsize>(b.size()));
      out.offsets.push_back(out.offsets.back() + static_cast<int64_t>(b.size()));
    }
    file.flush();
    if (!file) {
      fs::remove(out.spill_path, ec);
      return Status::ioError("cannot spill shuffle output to " + out.spill_path);
    }
    spdlog::debug("spilled shuffle {} map {} ({} bytes) to {}", shuffle_id, map_id, out.bytes, out.spill_path);
  } else {
    out.buckets = std::move(buckets);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (removed_shuffles_.contains(shuffle_id)) {
    std::error_code ec;
    if (!out.spill_path.empty()) fs::remove(out.spill_path, ec);  // never counted in memory_used_
    return Status::ok();
  }
  auto& slot = shuffle_[{shuffle_id, map_id}];
  dropOutput(slot);
  slot = std::move(out);
  if (slot.spill_path.empty()) memory_used_ += slot.bytes;
  else bytes_spilled_ += slot.bytes;
  return Status::ok();
}

bool BlockManager::hasShuffleOutput(int shuffle_id, int map_id) {
  std::lock_guard<std::mutex> lock(mu_);
  return shuffle_.count({shuffle_id, map_id}) > 0;
}

StatusOr<std::string> BlockManager::getShuffleBucket(int shuffle_id, int map_id, int reduce_id) {
  std::string path;
  int64_t begin, end;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = shuffle_.find({shuffle_id, map_id});
    if (it == shuffle_.end()) {
      return Status::notFound("shuffle " + std::to_string(shuffle_id) + " map " + std::to_string(map_id) + " is not here");
    }
    const ShuffleOutput& out = it->second;
    if (out.spill_path.empty()) {
      if (reduce_id < 0 || static_cast<size_t>(reduce_id) >= out.buckets.size()) return std::string();
      return out.buckets[reduce_id];
    }
    if (reduce_id < 0 || static_cast<size_t>(reduce_id) + 1 >= out.offsets.size()) return std::string();
    path = out.spill_path;
    begin = out.offsets[reduce_id];
    end = out.offsets[reduce_id + 1];
  }
  std::string bytes(static_cast<size_t>(end - begin), '\0');
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::ioError("cannot open " + path + ": " + std::strerror(errno));
  ssize_t n = ::pread(fd, bytes.data(), bytes.size(), begin);
  ::close(fd);
  if (n != static_cast<ssize_t>(bytes.size())) return Status::ioError("short read from " + path);
  return bytes;
}

void BlockManager::putBlock(const std::string& block_id, std::shared_ptr<const std::string> data) {
  std::lock_guard<std::mutex> lock(mu_);
  blocks_[block_id] = std::move(data);
}

std::shared_ptr<const std::string> BlockManager::getBlock(const std::string& block_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = blocks_.find(block_id);
  return it == blocks_.end() ? nullptr : it->second;
}

void BlockManager::removeBlock(const std::string& block_id) {
  std::lock_guard<std::mutex> lock(mu_);
  blocks_.erase(block_id);
}

void BlockManager::dropOutput(const ShuffleOutput& out) {
  if (!out.spill_path.empty()) {
    std::error_code ec;
    fs::remove(out.spill_path, ec);
  } else {
    memory_used_ -= out.bytes;
  }
}

void BlockManager::removeShuffle(int shuffle_id) {
  std::lock_guard<std::mutex> lock(mu_);
  removed_shuffles_.add(shuffle_id);
  for (auto it = shuffle_.begin(); it != shuffle_.end();) {
    if (it->first.first == shuffle_id) {
      dropOutput(it->second);
      it = shuffle_.erase(it);
    } else {
      ++it;
    }
  }
}

void BlockManager::removeRdd(int rdd_id) {
  std::lock_guard<std::mutex> lock(mu_);
  removed_rdds_.add(rdd_id);
  for (auto it = partitions_.begin(); it != partitions_.end();) {
    it = it->first.first == rdd_id ? partitions_.erase(it) : std::next(it);
  }
}

int64_t BlockManager::memoryUsed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return memory_used_;
}

int64_t BlockManager::bytesSpilled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_spilled_;
}

}  // namespace sluice
