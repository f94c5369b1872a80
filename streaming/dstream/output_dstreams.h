// Output operations: foreachRDD and what is built on it (print, saveAsTextFiles).
#pragma once

#include <stdio.h>  // renameat2

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "streaming/dstream/dstream_graph.h"
#include "streaming/dstream/dstream_node.h"
#include "rdd/text.h"

namespace sluice {

// What print(num) shows for one batch, given its first num + 1 records, exactly as Spark:
// a header with the batch time, up to num records (toText()), "..." when there are more,
// then an empty line.
template <class T>
std::string printedBatch(const std::vector<T>& first, int num, Time t) {
  std::string out = "-------------------------------------------\nTime: " + std::to_string(t) +
                    " ms\n-------------------------------------------\n";
  for (int i = 0; i < static_cast<int>(first.size()) && i < num; ++i) out += toText(first[i]) + "\n";
  if (static_cast<int>(first.size()) > num) out += "...\n";
  return out + "\n";
}

// Spark's rddToFileName: "<prefix>-<time ms>.<suffix>", without the parts that are empty.
inline std::string batchFileName(const std::string& prefix, const std::string& suffix, Time t) {
  std::string name = std::to_string(t);
  if (!prefix.empty()) name = prefix + "-" + name;
  if (!suffix.empty()) name += "." + suffix;
  return name;
}

// Runs write(tmp) on a fresh hidden directory next to dir, then moves it to dir in one
// rename; an existing dir (the same batch run again) is swapped out atomically and
// deleted, so that readers see the old or the new output, never a mix or a duplicate.
// Throws std::runtime_error when the rename fails; write's exceptions pass through (the
// temporary directory is removed).
template <class W>
void saveDirectoryAtomically(const std::string& dir, W write) {
  namespace fs = std::filesystem;
  static std::atomic<int64_t> counter{0};
  fs::path target(dir);
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::path tmp = parent / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++));
  std::error_code ec;
  fs::create_directories(parent, ec);
  try {
    write(tmp.string());
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  if (::rename(tmp.c_str(), target.c_str()) == 0) return;
  if (errno != ENOTEMPTY && errno != EEXIST) {
    std::string why = std::strerror(errno);
    fs::remove_all(tmp, ec);
    throw std::runtime_error("cannot move " + tmp.string() + " to " + dir + ": " + why);
  }
  // dir exists: swap the two, then delete the old output now at tmp.
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    std::string why = std::strerror(errno);
    fs::remove_all(tmp, ec);
    throw std::runtime_error("cannot replace " + dir + ": " + why);
  }
  fs::remove_all(tmp, ec);
}

template <class T>
class ForEachOutput : public OutputStream {
 public:
  using Fn = std::function<void(const RDD<T>&, Time)>;
  // pool: the scheduling pool of its jobs.
  ForEachOutput(std::shared_ptr<DStreamNode<T>> parent, Fn f, int id, std::string name, std::string pool = "")
      : parent_(std::move(parent)), f_(std::move(f)), id_(id), name_(std::move(name)), pool_(std::move(pool)) {}

  std::shared_ptr<DStreamBase> stream() override { return parent_; }
  std::optional<StreamingJob> generateJob(Time t) override {
    auto rdd = parent_->getOrCompute(t);
    if (!rdd) return std::nullopt;
    Fn f = f_;
    RDD<T> r = *rdd;
    return StreamingJob{t, id_, name_, [f, r, t] { f(r, t); }, pool_};
  }

 private:
  std::shared_ptr<DStreamNode<T>> parent_;
  Fn f_;
  int id_;
  std::string name_;
  std::string pool_;
};

}  // namespace sluice
