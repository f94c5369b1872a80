// The segment framing of wal/FORMAT.md: blocks, fragments, torn tails, bit flips, reopening.
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "tests/wal/wal_test_util.h"
#include "wal/coding.h"
#include "wal/crc32c.h"
#include "wal/format.h"

namespace sluice::wal {
namespace {

using testing::makeRecord;
using testing::readSegment;
using testing::writeSegment;

std::string recordAt(const std::string& image, uint64_t offset, uint64_t length) {
  MemoryFileSystem fs;
  fs.setContents("seg", image);
  auto file = fs.newRandomAccessFile("seg");
  auto record = readRecordAt(**file, "seg", offset, length);
  REQUIRE(record.isOk());
  return *record;
}

TEST_CASE("crc32c matches the standard check values", "[wal]") {
  CHECK(crc32c::value("123456789", 9) == 0xE3069283u);
  std::string zeros(32, '\0'), ones(32, '\xff');
  CHECK(crc32c::value(zeros.data(), zeros.size()) == 0x8A9136AAu);
  CHECK(crc32c::value(ones.data(), ones.size()) == 0x62A8AB43u);
  std::string text = makeRecord(1000, 7);
  CHECK(crc32c::extend(crc32c::value(text.data(), 300), text.data() + 300, 700) ==
        crc32c::value(text.data(), text.size()));
  CHECK(crc32c::unmask(crc32c::mask(0x12345678u)) == 0x12345678u);
}

TEST_CASE("a segment reads back every record, empty ones included, at its handle offset",
          "[wal]") {
  std::vector<std::string> records = {"", "a", makeRecord(100, 1), makeRecord(1000, 2), ""};
  auto w = writeSegment(records);
  CHECK(w.offsets[0] == kSegmentHeaderSize);
  auto r = readSegment(w.image);
  CHECK(r.status.isOk());
  CHECK(r.records == records);
  CHECK(r.offsets == w.offsets);
  CHECK(r.stats.corruptions == 0);
  CHECK(r.stats.torn_bytes == 0);
  CHECK(r.stats.valid_end == w.image.size());
  for (size_t i = 0; i < records.size(); ++i) {
    CHECK(recordAt(w.image, w.offsets[i], records[i].size()) == records[i]);
  }
}

TEST_CASE("a record spanning three blocks is FIRST, MIDDLE, LAST and reads back", "[wal]") {
  std::string big = makeRecord(2 * kBlockSize + 1000, 3);
  std::vector<std::string> records = {makeRecord(10, 4), big, makeRecord(20, 5)};
  auto w = writeSegment(records);
  auto typeAt = [&](uint64_t offset) { return static_cast<FragmentType>(w.image[offset + 6]); };
  CHECK(typeAt(w.offsets[1]) == FragmentType::kFirst);
  CHECK(typeAt(kBlockSize) == FragmentType::kMiddle);
  CHECK(typeAt(2 * kBlockSize) == FragmentType::kLast);
  CHECK(w.image.size() > 2 * kBlockSize);
  auto r = readSegment(w.image);
  CHECK(r.records == records);
  CHECK(r.stats.corruptions == 0);
  CHECK(recordAt(w.image, w.offsets[1], big.size()) == big);
}

TEST_CASE("crc32c with the CPU instruction equals the tables at every length and alignment", "[wal]") {
  std::string text = makeRecord(300, 11);
  for (size_t start = 0; start < 8; ++start) {
    for (size_t n = 0; start + n <= text.size(); n += (n < 40 ? 1 : 37)) {
      REQUIRE(crc32c::extend(0x1234u, text.data() + start, n) == crc32c::extendPortable(0x1234u, text.data() + start, n));
    }
  }
}

TEST_CASE("records larger than the append chunk read back, between small ones, at their offsets", "[wal]") {
  std::vector<std::string> records = {makeRecord(10, 12), makeRecord(3 * SegmentWriter::kAppendChunk + 12345, 13),
                                      makeRecord(20, 14), makeRecord(SegmentWriter::kAppendChunk, 15),
                                      makeRecord(30, 16)};
  auto w = writeSegment(records);
  REQUIRE(w.offsets.size() == records.size());
  auto r = readSegment(w.image);
  CHECK(r.status.isOk());
  CHECK(r.records == records);
  CHECK(r.offsets == w.offsets);
  CHECK(r.stats.corruptions == 0);
  CHECK(r.stats.valid_end == w.image.size());
}

TEST_CASE("fewer than a header's bytes left in a block become a zero trailer", "[wal]") {
  // The first record leaves 3 bytes in block 0: the next record starts in block 1.
  size_t first = kBlockSize - kSegmentHeaderSize - kFragmentHeaderSize - 3;
  std::vector<std::string> records = {makeRecord(first, 6), makeRecord(50, 7)};
  auto w = writeSegment(records);
  CHECK(w.offsets[1] == kBlockSize);
  CHECK(w.image.substr(kBlockSize - 3, 3) == std::string(3, '\0'));
  CHECK(readSegment(w.image).records == records);
}

TEST_CASE("readRecordAt refuses a wrong handle and damaged bytes", "[wal]") {
  std::vector<std::string> records = {makeRecord(100, 8), makeRecord(40000, 9)};
  auto w = writeSegment(records);
  MemoryFileSystem fs;
  fs.setContents("seg", w.image);
  auto file = fs.newRandomAccessFile("seg");
  auto wrong_length = readRecordAt(**file, "seg", w.offsets[0], 99);
  CHECK(wrong_length.status().code() == StatusCode::kCorruption);
  CHECK(readRecordAt(**file, "seg", 3, 100).status().code() == StatusCode::kInvalidArgument);
  CHECK(readRecordAt(**file, "seg", w.offsets[0] + 1, 100).status().code() ==
        StatusCode::kCorruption);
  CHECK(readRecordAt(**file, "seg", w.image.size() + 5, 10).status().code() ==
        StatusCode::kCorruption);
  std::string damaged = w.image;
  damaged[kBlockSize + 100] ^= 0x10;  // inside the second record's LAST fragment
  fs.setContents("seg", damaged);
  auto again = fs.newRandomAccessFile("seg");
  auto bad = readRecordAt(**again, "seg", w.offsets[1], records[1].size());
  REQUIRE_FALSE(bad.isOk());
  CHECK(bad.status().code() == StatusCode::kCorruption);
  CHECK_THAT(bad.status().message(), Catch::Contains("checksum mismatch"));
}

// Cuts the image at every byte of the last record: always a clean end after the others.
void checkTornTailsOfLastRecord(const std::vector<std::string>& records) {
  auto w = writeSegment(records);
  const uint64_t start = w.offsets.back();
  std::vector<std::string> before(records.begin(), records.end() - 1);
  for (uint64_t cut = start; cut < w.image.size(); ++cut) {
    auto r = readSegment(w.image.substr(0, cut));
    INFO("cut at " << cut << " of " << w.image.size());
    REQUIRE(r.status.isOk());
    REQUIRE(r.records == before);
    REQUIRE(r.stats.corruptions == 0);
    REQUIRE(r.stats.torn_bytes <= cut - start);  // zero bytes of a cut header are not counted
    REQUIRE(r.stats.valid_end == start);
  }
  CHECK(readSegment(w.image).records == records);
}

TEST_CASE("a torn tail at every byte offset of the last record is a clean end", "[wal]") {
  SECTION("a FULL record") {
    checkTornTailsOfLastRecord({makeRecord(30, 10), makeRecord(200, 11), makeRecord(300, 12)});
  }
  SECTION("a record split over a block boundary") {
    size_t first = kBlockSize - kSegmentHeaderSize - kFragmentHeaderSize - 100;
    checkTornTailsOfLastRecord({makeRecord(first, 13), makeRecord(300, 14)});
  }
  SECTION("a record spanning three blocks, cut around each block boundary") {
    std::vector<std::string> records = {makeRecord(500, 15), makeRecord(2 * kBlockSize, 16)};
    auto w = writeSegment(records);
    for (uint64_t cut : {w.offsets[1] + 3, kBlockSize - 1, kBlockSize, kBlockSize + 1,
                         kBlockSize + 8, 2 * kBlockSize - 1, 2 * kBlockSize, 2 * kBlockSize + 6,
                         2 * kBlockSize + 7, w.image.size() - 1}) {
      auto r = readSegment(w.image.substr(0, cut));
      INFO("cut at " << cut);
      CHECK(r.records.size() == 1);
      CHECK(r.stats.corruptions == 0);
      CHECK(r.stats.torn_bytes == cut - w.offsets[1]);
    }
  }
  SECTION("the segment header itself") {
    auto w = writeSegment({makeRecord(10, 17)});
    for (uint64_t cut = 0; cut < kSegmentHeaderSize; ++cut) {
      auto r = readSegment(w.image.substr(0, cut));
      CHECK(r.status.isOk());
      CHECK(r.records.empty());
      CHECK(r.stats.corruptions == 0);
    }
  }
  SECTION("zero fill after the last whole record") {
    auto w = writeSegment({makeRecord(10, 18), makeRecord(20, 19)});
    auto r = readSegment(w.image + std::string(500, '\0'));
    CHECK(r.records.size() == 2);
    CHECK(r.stats.corruptions == 0);
  }
}

// Flips one bit and checks that the damage is noticed and confined to the record it hit.
void checkBitFlip(const testing::Written& w, const std::vector<std::string>& records,
                  size_t bit) {
  std::map<uint64_t, std::string> by_offset;
  for (size_t i = 0; i < records.size(); ++i) by_offset[w.offsets[i]] = records[i];
  std::string image = w.image;
  image[bit / 8] = static_cast<char>(image[bit / 8] ^ (1 << (bit % 8)));
  auto r = readSegment(image);
  INFO("bit " << bit << " (byte " << bit / 8 << ")");
  REQUIRE(r.status.isOk());
  // Every record read is an original one at its own offset.
  for (size_t i = 0; i < r.records.size(); ++i) {
    auto it = by_offset.find(r.offsets[i]);
    REQUIRE(it != by_offset.end());
    REQUIRE(it->second == r.records[i]);
  }
  // At most the record that holds the bit is lost (none if the bit is in the header or a
  // trailer), and the loss is reported.
  size_t hit = records.size();  // the record whose bytes hold the bit, if any
  for (size_t i = 0; i < records.size(); ++i) {
    uint64_t end = i + 1 < records.size() ? w.offsets[i + 1] : w.image.size();
    if (bit / 8 >= w.offsets[i] && bit / 8 < end) hit = i;
  }
  REQUIRE(r.records.size() >= records.size() - 1);
  if (bit / 8 < kSegmentHeaderSize) {
    REQUIRE(r.records.size() == records.size());
    REQUIRE(r.stats.corruptions == 1);
  } else if (r.records.size() < records.size()) {
    REQUIRE(hit < records.size());
    REQUIRE(by_offset.count(w.offsets[hit]) == 1);
    for (uint64_t offset : r.offsets) REQUIRE(offset != w.offsets[hit]);
    // Only a length that grew in the very last record reads as a torn write.
    if (hit + 1 < records.size()) {
      REQUIRE(r.stats.corruptions >= 1);
    } else {
      REQUIRE(r.stats.corruptions + r.stats.torn_bytes > 0);
    }
  }
}

TEST_CASE("every single bit flip in a small log is reported and loses at most its record",
          "[wal]") {
  std::vector<std::string> records = {makeRecord(5, 20), makeRecord(0, 21), makeRecord(30, 22),
                                      makeRecord(12, 23), makeRecord(20, 24)};
  auto w = writeSegment(records);
  for (size_t bit = 0; bit < w.image.size() * 8; ++bit) checkBitFlip(w, records, bit);
}

TEST_CASE("sampled bit flips in a multi-block log", "[wal]") {
  std::vector<std::string> records = {makeRecord(1000, 25), makeRecord(2 * kBlockSize + 77, 26),
                                      makeRecord(5000, 27), makeRecord(kBlockSize, 28),
                                      makeRecord(64, 29)};
  auto w = writeSegment(records);
  std::mt19937 rng(42);
  std::uniform_int_distribution<size_t> pick(0, w.image.size() * 8 - 1);
  for (int i = 0; i < 300; ++i) checkBitFlip(w, records, pick(rng));
}

TEST_CASE("a reopened segment appends after its last record", "[wal]") {
  MemoryFileSystem fs;
  fs.createDir("w");
  std::vector<std::string> records = {makeRecord(100, 30), makeRecord(kBlockSize + 5, 31)};
  {
    auto writer = SegmentWriter::create(&fs, "w/seg");
    for (const auto& r : records) REQUIRE((*writer)->append(r).isOk());
  }
  const uint64_t size_before = fs.contents("w/seg")->size();
  {
    auto writer = SegmentWriter::reopen(&fs, "w/seg");
    REQUIRE(writer.isOk());
    CHECK((*writer)->size() == size_before);
    auto offset = (*writer)->append("after reopen");
    REQUIRE(offset.isOk());
    CHECK(*offset == size_before);
    records.push_back("after reopen");
  }
  auto r = readSegment(*fs.contents("w/seg"));
  CHECK(r.records == records);
  CHECK(r.stats.corruptions == 0);
}

TEST_CASE("reopening a segment cuts its torn tail, at any cut", "[wal]") {
  std::vector<std::string> records = {makeRecord(kBlockSize - 200, 32), makeRecord(400, 33)};
  auto w = writeSegment(records);
  auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::warn);  // one info line per cut otherwise
  for (uint64_t cut = w.offsets[1]; cut < w.image.size(); cut += 13) {
    MemoryFileSystem fs;
    fs.setContents("w/seg", w.image.substr(0, cut));
    auto writer = SegmentWriter::reopen(&fs, "w/seg");
    REQUIRE(writer.isOk());
    REQUIRE((*writer)->size() == w.offsets[1]);
    REQUIRE((*writer)->append(records[1]).isOk());
    auto r = readSegment(*fs.contents("w/seg"));
    INFO("cut at " << cut);
    REQUIRE(r.records == records);
    REQUIRE(r.stats.corruptions == 0);
    REQUIRE(r.stats.torn_bytes == 0);
  }
  spdlog::set_level(level);
}

TEST_CASE("a segment whose header is damaged is not reopened", "[wal]") {
  auto w = writeSegment({makeRecord(10, 34)});
  MemoryFileSystem fs;
  std::string image = w.image;
  image[1] ^= 1;
  fs.setContents("w/seg", image);
  auto writer = SegmentWriter::reopen(&fs, "w/seg");
  CHECK(writer.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(writer.status().message(), Catch::Contains("w/seg"));
}

TEST_CASE("a segment of another format version is refused with a clear error", "[wal]") {
  auto w = writeSegment({makeRecord(10, 35)});
  std::string image = w.image;
  encodeFixed(image.data() + 4, kFormatVersion + 1, 2);
  encodeFixed(image.data() + 8, crc32c::mask(crc32c::value(image.data(), 8)), 4);
  auto r = readSegment(image);
  CHECK(r.status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status.message(), Catch::Contains("format version 2"));
  CHECK(r.records.empty());
}

}  // namespace
}  // namespace sluice::wal
