// Record blocks (common/record_block.h): RecordBlockWriter writes the same bytes as
// toBytes(std::vector<T>), forEachRecord reads what fromBytes reads, record by record, and a
// damaged block is a Corruption status after the records before the damage.
#include "common/record_block.h"

#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sluice {
namespace {

struct Reading {
  int32_t sensor = 0;
  std::string label;
  std::map<std::string, double> values;
  bool operator==(const Reading& o) const { return sensor == o.sensor && label == o.label && values == o.values; }
  template <class A>
  void serialize(A& ar) {
    ar(sensor, label, values);
  }
};

template <class T>
std::string written(const std::vector<T>& records) {
  RecordBlockWriter<T> writer;
  for (const T& r : records) writer.add(r);
  REQUIRE(writer.count() == static_cast<int64_t>(records.size()));
  return writer.finish();
}

template <class T>
std::vector<T> readBack(std::string_view bytes, Status* status = nullptr) {
  std::vector<T> out;
  Status st = forEachRecord<T>(bytes, [&](T&& r) { out.push_back(std::move(r)); });
  if (status != nullptr) *status = st;
  else REQUIRE(st.isOk());
  return out;
}

TEST_CASE("a record block's bytes are those of toBytes of the records as a vector", "[record_block]") {
  std::vector<std::string> lines{"", "one", std::string(300, 'x'), "with\0nul"};
  REQUIRE(written(lines) == toBytes(lines));
  std::vector<int64_t> numbers{0, -1, 1LL << 40, 7};
  REQUIRE(written(numbers) == toBytes(numbers));
  std::vector<Reading> readings{{1, "a", {{"t", 1.5}}}, {2, "", {}}, {3, std::string(40, 'l'), {{"h", 2}, {"p", 3}}}};
  REQUIRE(written(readings) == toBytes(readings));
  REQUIRE(written(std::vector<std::pair<std::string, int32_t>>{{"k", 1}, {"l", 2}}) ==
          toBytes(std::vector<std::pair<std::string, int32_t>>{{"k", 1}, {"l", 2}}));
  REQUIRE(written(std::vector<std::string>{}) == toBytes(std::vector<std::string>{}));
}

TEST_CASE("finish starts a new empty block and each block decodes alone", "[record_block]") {
  RecordBlockWriter<std::string> writer;
  writer.add("a");
  writer.add("b");
  std::string reserved;
  reserved.reserve(1024);
  std::string first = writer.finish(std::move(reserved));
  REQUIRE(writer.empty());
  writer.add("c");
  std::string second = writer.finish();
  REQUIRE(readBack<std::string>(first) == std::vector<std::string>{"a", "b"});
  REQUIRE(readBack<std::string>(second) == std::vector<std::string>{"c"});

  RecordBlockWriter<Reading> readings;
  readings.add({1, "x", {}});
  std::string one = readings.finish();
  readings.add({2, "y", {{"v", 1}}});
  std::string two = readings.finish();
  REQUIRE(readBack<Reading>(one) == std::vector<Reading>{{1, "x", {}}});
  REQUIRE(readBack<Reading>(two) == std::vector<Reading>{{2, "y", {{"v", 1}}}});
}

TEST_CASE("forEachRecord reads what toBytes wrote, also when the callback keeps the records", "[record_block]") {
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) lines.push_back(std::string(static_cast<size_t>(i % 70), static_cast<char>('a' + i % 26)));
  REQUIRE(readBack<std::string>(toBytes(lines)) == lines);
  // A callback that only looks at each record sees each one whole (the string is reused).
  std::vector<std::string> seen;
  REQUIRE(forEachRecord<std::string>(toBytes(lines), [&](std::string&& s) { seen.emplace_back(s); }).isOk());
  REQUIRE(seen == lines);
  std::vector<double> numbers{1.0, 2.5, -3.0};
  REQUIRE(readBack<double>(toBytes(numbers)) == numbers);
}

TEST_CASE("a damaged record block is a corruption after the records before the damage", "[record_block]") {
  std::vector<std::string> lines{"first", "second", "third"};
  std::string bytes = toBytes(lines);
  Status st;
  auto got = readBack<std::string>(std::string_view(bytes).substr(0, bytes.size() - 2), &st);
  REQUIRE(st.code() == StatusCode::kCorruption);
  REQUIRE(got == std::vector<std::string>{"first", "second"});
  // A count far beyond the bytes present is refused before any record.
  std::string huge = bytes;
  huge[7] = 0x7f;
  got = readBack<std::string>(huge, &st);
  REQUIRE(st.code() == StatusCode::kCorruption);
  REQUIRE(got.empty());
  REQUIRE(readBack<std::string>(std::string_view(), &st).empty());
  REQUIRE(st.code() == StatusCode::kCorruption);
}

TEST_CASE("an exception from the callback is not turned into a corruption", "[record_block]") {
  std::string bytes = toBytes(std::vector<std::string>{"a", "b"});
  REQUIRE_THROWS_AS(forEachRecord<std::string>(bytes, [](std::string&&) { throw std::logic_error("user code"); }),
                    std::logic_error);
}

}  // namespace
}  // namespace sluice
