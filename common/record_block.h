// A record block: the bytes of a received block (and of anything else stored as a list of
// records), which are exactly the Cereal binary encoding of a std::vector<T>, i.e.
// toBytes(records):
//
//   [uint64 count] [record 0] [record 1] ... [record count-1]
//
// with each record in Cereal's binary encoding (a std::string is [uint64 length][bytes], a
// number its native bytes). RecordBlockWriter builds those bytes one record at a time, so a
// receiver's records are copied once, into the block, instead of being kept as objects and
// encoded at the end; forEachRecord() reads them back one at a time, without materializing
// the whole std::vector<T>. Both produce and accept the same bytes as toBytes/fromBytes of a
// std::vector<T>, so a block written either way reads either way (the WAL, replicas and
// older blocks included).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/serialize.h"

namespace sluice {

// Appends records to a block's bytes.
// THREADING: not thread-safe (its owner serializes calls).
template <class T>
class RecordBlockWriter {
 public:
  RecordBlockWriter() { begin(); }
  RecordBlockWriter(const RecordBlockWriter&) = delete;
  RecordBlockWriter& operator=(const RecordBlockWriter&) = delete;

  void add(const T& record) {
    if constexpr (std::is_same_v<T, std::string>) {
      appendRaw(static_cast<uint64_t>(record.size()));
      bytes_.append(record);
    } else if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      appendRaw(record);
    } else {
      // One archive per block, as toBytes(vector) has: Cereal numbers shared pointers per
      // archive.
      if (!archive_) {
        stream_ = std::make_unique<std::ostream>(&sink_);
        archive_ = std::make_unique<cereal::BinaryOutputArchive>(*stream_);
      }
      (*archive_)(record);
    }
    ++count_;
  }
  int64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  size_t byteSize() const { return bytes_.size(); }

  // The block's bytes (toBytes of the records added as a std::vector<T>); the writer starts
  // a new, empty block in next (its capacity kept: a buffer for reuse, or one reserved for
  // the size the block is expected to reach, so that it is not grown while it fills).
  std::string finish(std::string next = {}) {
    archive_.reset();
    stream_.reset();
    const auto count = static_cast<uint64_t>(count_);
    std::memcpy(bytes_.data(), &count, sizeof count);
    std::string done;
    done.swap(bytes_);
    bytes_.swap(next);
    begin();
    return done;
  }

 private:
  template <class N>
  void appendRaw(N value) {
    char raw[sizeof(N)];
    std::memcpy(raw, &value, sizeof(N));
    bytes_.append(raw, sizeof(N));
  }
  void begin() {
    count_ = 0;
    bytes_.assign(sizeof(uint64_t), '\0');  // the count, written by finish()
  }

  std::string bytes_;
  int64_t count_ = 0;
  StringSinkBuf sink_{&bytes_};
  std::unique_ptr<std::ostream> stream_;
  std::unique_ptr<cereal::BinaryOutputArchive> archive_;
};

// Calls f(T&&) for each record of a record block, in order; a truncated or malformed block
// is a Corruption status, returned after the records before the damage were passed to f (a
// caller that must not act on part of a block decodes with fromBytes into a vector instead).
// Every length is checked against the bytes left before anything is allocated, as fromBytes
// does. Exceptions thrown by f pass through unchanged. A std::string record is decoded into
// one string reused for the next record unless f moved it away, so a block of text costs no
// allocation per record when f only reads it.
template <class T, class F>
Status forEachRecord(std::string_view bytes, F&& f) {
  constexpr bool kNumber = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;
  BoundedInputArchive ar(bytes);
  auto corrupt = [&](const std::exception& e) {
    return Status::corruption("cannot decode a block of " + std::to_string(bytes.size()) + " bytes: " + e.what());
  };
  uint64_t count = 0;
  try {
    ar.loadBinary(&count, sizeof count);
    ar.checkCount(count, kNumber ? sizeof(T) : 1);
  } catch (const std::exception& e) {
    return corrupt(e);
  }
  if constexpr (std::is_same_v<T, std::string>) {
    std::string record;
    for (uint64_t i = 0; i < count; ++i) {
      try {
        uint64_t size = 0;
        ar.loadBinary(&size, sizeof size);
        ar.checkCount(size);
        record.resize(static_cast<size_t>(size));
        ar.loadBinary(record.data(), static_cast<size_t>(size));
      } catch (const std::exception& e) {
        return corrupt(e);
      }
      f(std::move(record));
    }
  } else {
    for (uint64_t i = 0; i < count; ++i) {
      T record{};
      try {
        ar(record);
      } catch (const std::exception& e) {
        return corrupt(e);
      }
      f(std::move(record));
    }
  }
  return Status::ok();
}

}  // namespace sluice
