// TextFileRDD: the lines of a file or of every file in a directory, split into byte
// ranges. A line belongs to the split its first byte lies in; a split starting mid-line
// skips to the next line start, and the last line of a split is read past the split end.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rdd/rdd_node.h"

namespace sluice {

struct FileSplit {
  std::string path;
  int64_t offset = 0;
  int64_t length = 0;

  template <class Archive>
  void serialize(Archive& ar) { ar(path, offset, length); }
};

// Cuts the files at path (a file, or a directory's non-hidden regular files in name order)
// into about min_partitions splits of at most max_split_bytes each.
StatusOr<std::vector<FileSplit>> planTextSplits(const std::string& path, int min_partitions,
                                                int64_t max_split_bytes = int64_t{32} << 20);

// Calls on_line for every line of split (without its '\n' or "\r\n").
Status readLines(const FileSplit& split, FunctionRef<void(std::string&&)> on_line);

class TextFileRDD : public Registered<TextFileRDD, RDDNode<std::string>> {
 public:
  TextFileRDD(int id, std::vector<FileSplit> splits);

  std::vector<Dependency> dependencies() const override { return {}; }
  std::string name() const override;
  void compute(int split, TaskContext& ctx, Emit<std::string> emit) override;
  void save(LineageWriter& w) const override;
  static std::shared_ptr<Node> load(LineageReader& r);

 private:
  std::vector<FileSplit> splits_;
};

}  // namespace sluice
