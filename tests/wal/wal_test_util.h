// Helpers shared by the WAL tests: deterministic record bytes and reading a segment image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wal/memory_file_system.h"
#include "wal/segment_reader.h"
#include "wal/segment_writer.h"

namespace sluice::wal::testing {

// n pseudo-random bytes, the same for the same (n, seed).
inline std::string makeRecord(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (char& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

struct Written {
  std::string image;              // the segment file's bytes
  std::vector<uint64_t> offsets;  // of each record
};

// Writes records into a fresh segment and returns its bytes.
inline Written writeSegment(const std::vector<std::string>& records) {
  MemoryFileSystem fs;
  fs.createDir("w");
  auto writer = SegmentWriter::create(&fs, "w/seg");
  Written w;
  if (!writer) return w;
  for (const auto& r : records) {
    auto offset = (*writer)->append(r);
    if (!offset) return w;
    w.offsets.push_back(*offset);
  }
  w.image = *fs.contents("w/seg");
  return w;
}

struct ReadBack {
  std::vector<std::string> records;
  std::vector<uint64_t> offsets;
  SegmentReadStats stats;
  Status status;
};

// Reads every record of a segment image.
inline ReadBack readSegment(const std::string& image) {
  MemoryFileSystem fs;
  fs.setContents("seg", image);
  auto file = fs.newRandomAccessFile("seg");
  ReadBack out;
  SegmentReader reader(file->get(), "seg");
  std::string record;
  uint64_t offset = 0;
  while (reader.next(&record, &offset)) {
    out.records.push_back(record);
    out.offsets.push_back(offset);
  }
  out.stats = reader.stats();
  out.status = reader.status();
  return out;
}

}  // namespace sluice::wal::testing
