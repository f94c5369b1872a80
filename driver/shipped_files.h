// The files of sluice-submit --files (key `files`, absolute paths once Context::create has
// resolved them), as Spark's SparkContext.addFile: the driver serves them to executors
// (FetchApp by hash), each executor fetches them into its work dir, where tasks open them
// by their base name; a cluster-mode driver copies them into its own directory too.
#pragma once

#include <string>
#include <vector>

#include "common/conf.h"
#include "common/status.h"
#include "rpc/executor_messages.h"

namespace sluice {

struct ServedFile {
  rpc::ShippedFile file;
  std::string path;  // where the driver reads it
};

// Hashes each file of conf's `files`. InvalidArgument when one cannot be read or two share a
// base name (both would land on the same name in a work dir).
StatusOr<std::vector<ServedFile>> describeShippedFiles(const Conf& conf);

// Copies each file into dir as its base name, replacing one there. Skips a file already at
// that place.
Status copyShippedFiles(const std::vector<ServedFile>& files, const std::string& dir);

}  // namespace sluice
