// fromBytes() checks every decoded length against the bytes left before allocating: a few
// bytes that claim a huge string or container are refused with a clear error and without a
// large allocation (the allocation tracker replaces operator new in this test binary).
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/conf.h"
#include "common/serialize.h"
#include "rpc/executor_messages.h"
#include "rpc/frame.h"
#include "tests/common/allocation_tracker.h"

namespace sluice {
namespace {

constexpr uint64_t kHuge = uint64_t{1} << 32;
constexpr size_t kSmallAllocation = size_t{1} << 20;

// An 8-byte little-endian size tag claiming `claimed`, padded to total bytes with 'x'.
std::string claimPayload(uint64_t claimed, size_t total) {
  std::string out = toBytes(claimed);
  out.resize(total, 'x');
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

template <class T>
Status decodeTracked(const std::string& bytes, T& value, size_t* largest) {
  testing::resetLargestAllocation();
  Status st = fromBytes(bytes, value);
  *largest = testing::largestAllocation();
  return st;
}

TEST_CASE("a 30-byte payload claiming a 2^32-byte string is refused without allocating it",
          "[serialize]") {
  std::string value;
  size_t largest = 0;
  Status st = decodeTracked(claimPayload(kHuge, 30), value, &largest);
  REQUIRE_FALSE(st.isOk());
  CHECK(st.code() == StatusCode::kCorruption);
  INFO(st.message());
  CHECK(contains(st.message(), "length 4294967296 claimed with only 22 bytes left"));
  CHECK(largest < kSmallAllocation);
}

TEST_CASE("a 30-byte payload claiming a 2^32-element vector is refused without allocating it",
          "[serialize]") {
  size_t largest = 0;
  SECTION("of strings") {
    std::vector<std::string> value;
    Status st = decodeTracked(claimPayload(kHuge, 30), value, &largest);
    REQUIRE_FALSE(st.isOk());
    CHECK(contains(st.message(), "length 4294967296 claimed"));
  }
  SECTION("of numbers") {
    std::vector<int64_t> value;
    Status st = decodeTracked(claimPayload(kHuge, 30), value, &largest);
    REQUIRE_FALSE(st.isOk());
    CHECK(contains(st.message(), "length 4294967296 claimed"));
  }
  SECTION("of bools") {
    std::vector<bool> value;
    Status st = decodeTracked(claimPayload(kHuge, 30), value, &largest);
    REQUIRE_FALSE(st.isOk());
  }
  SECTION("of structs, inside a map") {
    std::map<int32_t, std::vector<rpc::MapLocation>> value;
    std::string bytes = toBytes(uint64_t{1}, int32_t{7}, kHuge);
    bytes.resize(30, 'x');
    Status st = decodeTracked(bytes, value, &largest);
    REQUIRE_FALSE(st.isOk());
    CHECK(contains(st.message(), "length 4294967296 claimed"));
  }
  SECTION("an unordered map") {
    std::unordered_map<std::string, int64_t> value;
    Status st = decodeTracked(claimPayload(kHuge, 30), value, &largest);
    REQUIRE_FALSE(st.isOk());
  }
  CHECK(largest < kSmallAllocation);
}

TEST_CASE("a vector of numbers needs all its bytes before it is sized", "[serialize]") {
  // 4 int64 claimed, 3 present: the claim (4) is below the bytes left (24) but the array is not.
  std::string bytes = toBytes(uint64_t{4}, int64_t{1}, int64_t{2}, int64_t{3});
  std::vector<int64_t> value;
  Status st = fromBytes(bytes, value);
  REQUIRE_FALSE(st.isOk());
  CHECK(contains(st.message(), "length 4 claimed with only 24 bytes left"));
}

TEST_CASE("a string claiming one byte more than is left is refused", "[serialize]") {
  std::string bytes = toBytes(uint64_t{6}) + "hello";
  std::string value;
  CHECK_FALSE(fromBytes(bytes, value).isOk());
  bytes += "!";
  REQUIRE(fromBytes(bytes, value).isOk());
  CHECK(value == "hello!");
}

TEST_CASE("legitimate values round-trip through the bounded decoder", "[serialize]") {
  std::vector<std::string> strings = {"", "a", std::string(100000, 'z'), ""};
  std::vector<int32_t> ints = {1, -2, 1 << 30};
  std::vector<bool> bools = {true, false, true};
  std::map<std::string, std::vector<std::string>> nested = {{"k", {"", ""}}, {"", {}}};
  std::optional<std::vector<int64_t>> maybe = std::vector<int64_t>{};
  std::vector<std::vector<int32_t>> empties(5);
  Conf conf;
  conf.set("rpc.maxFrameBytes", "256m");
  std::string bytes = toBytes(strings, ints, bools, nested, maybe, empties, conf);

  std::vector<std::string> strings2;
  std::vector<int32_t> ints2;
  std::vector<bool> bools2;
  std::map<std::string, std::vector<std::string>> nested2;
  std::optional<std::vector<int64_t>> maybe2;
  std::vector<std::vector<int32_t>> empties2;
  Conf conf2;
  Status st = fromBytes(bytes, strings2, ints2, bools2, nested2, maybe2, empties2, conf2);
  REQUIRE(st.isOk());
  CHECK(strings2 == strings);
  CHECK(ints2 == ints);
  CHECK(bools2 == bools);
  CHECK(nested2 == nested);
  CHECK(maybe2 == maybe);
  CHECK(empties2 == empties);
  CHECK(conf2.get("rpc.maxFrameBytes") == "256m");
}

TEST_CASE("a frame of under 64 bytes claiming a huge string is refused by decodeAs", "[serialize]") {
  // RegisterExecutor starts with its executor id: claim 2^32 bytes of it.
  std::string frame = rpc::encodeFrame(rpc::MessageTag::kRegisterExecutor, claimPayload(kHuge, 30));
  REQUIRE(frame.size() < 64);
  auto env = rpc::decodeFrame(frame.data(), frame.size());
  REQUIRE(env.isOk());
  testing::resetLargestAllocation();
  auto msg = rpc::decodeAs<rpc::RegisterExecutor>(*env);
  CHECK(testing::largestAllocation() < kSmallAllocation);
  REQUIRE_FALSE(msg.isOk());
  INFO(msg.status().message());
  CHECK(contains(msg.status().message(), "bad kRegisterExecutor payload"));
  CHECK(contains(msg.status().message(), "length 4294967296 claimed with only 22 bytes left"));
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST_CASE("a bool byte other than 0 or 1 is refused", "[serialize]") {
  // Found by the fuzzer: std::optional's flag copied from the byte 76 was an invalid bool.
  std::optional<int32_t> maybe;
  Status st = fromBytes(std::string(1, '\x4c') + toBytes(int32_t{7}), maybe);
  REQUIRE_FALSE(st.isOk());
  CHECK(contains(st.message(), "invalid bool byte 76"));
  REQUIRE(fromBytes(toBytes(std::optional<int32_t>(7)), maybe).isOk());
  CHECK(maybe == 7);
}

}  // namespace
}  // namespace sluice
