// CheckpointFiles: the driver's checkpoints in one directory, as files
// "checkpoint-<timeMs>" holding one opaque blob each behind a checksummed header
// (wal/FORMAT.md). Each write is atomic: a temp file, fsync, rename, fsync of the
// directory; a crash leaves either the old set of checkpoints or the new one. The newest
// `keep` checkpoints are kept, so that a corrupt newest one can fall back to the one before.
//
// THREADING: thread-compatible; one writer per directory at a time (the driver's
// checkpoint writer). readLatest() from a restarting driver, before writing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "wal/file.h"

namespace sluice::wal {

struct LoadedCheckpoint {
  int64_t time_ms = 0;
  std::string blob;
  // Newer checkpoints passed over, one line each: "checkpoint-3000: checksum mismatch".
  std::vector<std::string> skipped;
};

class CheckpointFiles {
 public:
  // fs (null: posixFileSystem()) must outlive this object. keep >= 1.
  explicit CheckpointFiles(std::string dir, int keep = 10, FileSystem* fs = nullptr);

  // Writes blob as checkpoint-<time_ms> atomically (creating the directory if needed;
  // replacing a checkpoint of the same time), then deletes all but the newest `keep`
  // checkpoints and any temp file left by a crash. Returns only once it is durable.
  Status write(std::string_view blob, int64_t time_ms);

  // The newest checkpoint that reads back intact. A corrupt or unreadable newer one is
  // skipped, listed in `skipped` and logged as a warning. NotFound when there is no
  // checkpoint at all; Corruption (listing every failure) when none is intact.
  StatusOr<LoadedCheckpoint> readLatest() const;

  // Times of the checkpoints on disk, oldest first.
  StatusOr<std::vector<int64_t>> list() const;

  std::string pathOf(int64_t time_ms) const;

 private:
  Status removeOld();

  const std::string dir_;
  const int keep_;
  FileSystem* const fs_;
};

// The file image of a checkpoint, and its inverse (Corruption says what is wrong).
std::string encodeCheckpoint(std::string_view blob);
StatusOr<std::string> decodeCheckpoint(std::string_view file);

}  // namespace sluice::wal
