// FileInputDStream: textFileStream(dir). At each batch the directory is listed and every
// regular file not seen before becomes part of that batch's RDD, so each file is picked up
// exactly once. Files must appear atomically (written elsewhere, then moved in, as Spark
// requires); names starting with '.' or '_' (temporary files) are skipped, and so are files
// older than the stream's start (Spark's newFilesOnly). File-system timestamps are coarse
// (a clock tick, or a second on some file systems), so a file modified less than a second
// before the start counts as new.
//
// THREADING: compute() runs on the job generator's thread.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "streaming/dstream/input_dstreams.h"

namespace sluice {

class FileInputDStream : public InputDStream<std::string> {
 public:
  FileInputDStream(StreamingContext* ssc, int id, Duration batch, std::string dir)
      : InputDStream<std::string>(ssc, id, batch), dir_(std::move(dir)),
        start_(std::filesystem::file_time_type::clock::now() - std::chrono::seconds(1)) {}
  std::string name() const override { return "FileInputDStream"; }

 protected:
  std::optional<RDD<std::string>> compute(Time t) override;

 private:
  std::vector<std::string> newFiles();

  std::string dir_;
  std::filesystem::file_time_type start_;
  std::set<std::string> seen_;
};

}  // namespace sluice
