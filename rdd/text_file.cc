#include "rdd/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace sluice {
namespace fs = std::filesystem;

StatusOr<std::vector<FileSplit>> planTextSplits(const std::string& path, int min_partitions,
                                                int64_t max_split_bytes) {
  std::error_code ec;
  std::vector<std::pair<std::string, int64_t>> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.' || name[0] == '_' || !entry.is_regular_file()) continue;
      files.emplace_back(entry.path().string(), static_cast<int64_t>(entry.file_size()));
    }
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(path, ec)) {
    files.emplace_back(path, static_cast<int64_t>(fs::file_size(path, ec)));
  } else {
    return Status::notFound("input path does not exist: " + path);
  }
  int64_t total = 0;
  for (auto& f : files) total += f.second;
  int64_t goal = total / std::max(1, min_partitions);
  int64_t split_size = std::max<int64_t>(1, std::min(goal, max_split_bytes));
  std::vector<FileSplit> splits;
  for (auto& [file, size] : files) {
    int64_t off = 0;
    // Like Hadoop, a tail under 10% of a split joins the split before it.
    while (size - off > split_size + split_size / 10) {
      splits.push_back({file, off, split_size});
      off += split_size;
    }
    splits.push_back({file, off, size - off});
  }
  return splits;
}

namespace {

// Buffered sequential reads from an offset.
class FileReader {
 public:
  // Small enough to stay in a core's L2 cache beside the task's hash tables: a 1 MiB
  // buffer, refilled by the kernel's copy, pushed word count's combine map out of L2.
  static constexpr size_t kBufferBytes = 64 << 10;
  explicit FileReader(int fd, int64_t offset) : fd_(fd), pos_(offset) {}
  // Refills the buffer; false at end of file or on a read failure (then error_ is set).
  bool fill() {
    begin_ = 0;
    ssize_t n = ::pread(fd_, buf_.data(), buf_.size(), pos_);
    if (n < 0) {
      error_ = std::strerror(errno);
      n = 0;
    }
    end_ = static_cast<size_t>(n);
    pos_ += n;
    return n > 0;
  }
  std::vector<char> buf_ = std::vector<char>(kBufferBytes);
  size_t begin_ = 0, end_ = 0;
  int fd_;
  int64_t pos_;
  std::string error_;
};

}  // namespace

Status readLines(const FileSplit& split, FunctionRef<void(std::string&&)> on_line) {
  int fd = ::open(split.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::ioError("cannot open " + split.path + ": " + std::strerror(errno));
  int64_t start = split.offset;
  int64_t split_end = split.offset + split.length;
  FileReader reader(fd, start > 0 ? start - 1 : 0);
  int64_t line_start = start > 0 ? start - 1 : 0;  // file offset where the current line began
  bool skipping = start > 0;                        // drop the partial first line
  std::string line;
  while (line_start < split_end) {
    if (reader.begin_ == reader.end_ && !reader.fill()) break;
    const char* data = reader.buf_.data() + reader.begin_;
    size_t avail = reader.end_ - reader.begin_;
    const char* nl = static_cast<const char*>(std::memchr(data, '\n', avail));
    size_t take = nl ? static_cast<size_t>(nl - data) : avail;
    if (!skipping) line.append(data, take);
    reader.begin_ += take + (nl ? 1 : 0);
    if (!nl) continue;
    int64_t next_start = reader.pos_ - static_cast<int64_t>(reader.end_ - reader.begin_);
    if (skipping) {
      skipping = false;
    } else {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      on_line(std::move(line));
      line.clear();
    }
    line_start = next_start;
  }
  if (!line.empty() && !skipping) {
    if (line.back() == '\r') line.pop_back();
    on_line(std::move(line));
  }
  ::close(fd);
  if (!reader.error_.empty()) return Status::ioError("cannot read " + split.path + ": " + reader.error_);
  return Status::ok();
}

TextFileRDD::TextFileRDD(int id, std::vector<FileSplit> splits)
    : Registered<TextFileRDD, RDDNode<std::string>>(id, static_cast<int>(splits.size())),
      splits_(std::move(splits)) {}

std::string TextFileRDD::name() const {
  return "TextFileRDD[" + std::to_string(id_) + "] " +
         (splits_.empty() ? std::string("(empty)") : splits_.front().path);
}

void TextFileRDD::compute(int split, TaskContext& ctx, Emit<std::string> emit) {
  int64_t n = 0;
  Status st = readLines(splits_.at(split), [&](std::string&& line) {
    ++n;
    emit(std::move(line));
  });
  ctx.metrics().records_read += n;
  if (!st) throw std::runtime_error(st.message());
}

void TextFileRDD::save(LineageWriter& w) const {
  saveBase(w);
  w(splits_);
}

std::shared_ptr<Node> TextFileRDD::load(LineageReader& r) {
  auto base = loadBase(r);
  std::vector<FileSplit> splits;
  r(splits);
  auto node = std::make_shared<TextFileRDD>(base.id, std::move(splits));
  node->applyBase(base);
  return node;
}

}  // namespace sluice
