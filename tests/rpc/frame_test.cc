#include "rpc/frame.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice::rpc {
namespace {

struct FramePing {
  static constexpr MessageTag kTag = MessageTag::kPing;
  std::string text;
  int64_t sequence = 0;
  std::vector<int32_t> values;
  std::map<std::string, double> weights;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(text, sequence, values, weights);
  }
};

struct FramePong {
  static constexpr MessageTag kTag = MessageTag::kPong;
  std::string text;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(text);
  }
};

FramePing samplePing() {
  FramePing ping;
  ping.text = "hello sluice";
  ping.sequence = -42;
  ping.values = {1, 2, 3, 1 << 30};
  ping.weights = {{"a", 0.5}, {"b", 2.0}};
  return ping;
}

void writeLe(std::string& frame, size_t offset, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) frame[offset + i] = static_cast<char>(value >> (8 * i));
}

StatusOr<Envelope> decode(const std::string& frame, size_t max = kDefaultMaxFrameBytes) {
  return decodeFrame(frame.data(), frame.size(), max);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("message tags: known, unknown and names", "[rpc]") {
  CHECK(isKnownTag(1));
  CHECK(isKnownTag(14));
  CHECK(isKnownTag(73));
  CHECK_FALSE(isKnownTag(0));  // kInvalid never travels
  CHECK_FALSE(isKnownTag(4));  // gap
  CHECK_FALSE(isKnownTag(9));
  CHECK(isKnownTag(22));        // kLaunchTasks
  CHECK(isKnownTag(24));        // kMapOutputsAvailable
  CHECK_FALSE(isKnownTag(25));  // gap
  CHECK_FALSE(isKnownTag(static_cast<uint16_t>(MessageTag::kEnd)));
  CHECK_FALSE(isKnownTag(9999));
  CHECK(std::string(tagName(MessageTag::kLaunchTask)) == "kLaunchTask");
  CHECK(std::string(tagName(MessageTag::kReceiverError)) == "kReceiverError");
  CHECK(std::string(tagName(static_cast<MessageTag>(9))) == "unknown");
  for (uint16_t tag = 0; tag < 200; ++tag) {
    INFO("tag " << tag);
    CHECK(isKnownTag(tag) ==
          (std::string(tagName(static_cast<MessageTag>(tag))) != "unknown" && tag != 0));
  }
}

TEST_CASE("frame header is little-endian as documented", "[rpc]") {
  std::string frame = encodeFrame(MessageTag::kLaunchTask, "xyz", 0x0102030405060708ULL, 1);
  REQUIRE(frame.size() == kFrameHeaderSize + 3);
  const std::string expected_header(
      "\x31\x55\x4C\x53"                  // magic "SLU1" little-endian
      "\x0E\x00"                          // tag 14
      "\x01\x00"                          // flags: reply
      "\x08\x07\x06\x05\x04\x03\x02\x01"  // correlation
      "\x03\x00\x00\x00",                 // payload length
      kFrameHeaderSize);
  CHECK(frame.substr(0, kFrameHeaderSize) == expected_header);
  CHECK(frame.substr(kFrameHeaderSize) == "xyz");
}

TEST_CASE("typed message roundtrips through encode and decodeAs", "[rpc]") {
  FramePing ping = samplePing();
  std::string frame = encode(ping, 77, kFlagReply);
  auto env = decode(frame);
  REQUIRE(env.isOk());
  CHECK(env->tag == MessageTag::kPing);
  CHECK(env->correlation == 77);
  CHECK(env->isReply());
  auto back = decodeAs<FramePing>(*env);
  REQUIRE(back.isOk());
  CHECK(back->text == ping.text);
  CHECK(back->sequence == ping.sequence);
  CHECK(back->values == ping.values);
  CHECK(back->weights == ping.weights);

  auto empty = decode(encodeFrame(MessageTag::kPong, ""));
  REQUIRE(empty.isOk());
  CHECK(empty->payload.empty());
  CHECK_FALSE(empty->isReply());
  CHECK(empty->correlation == 0);
}

TEST_CASE("a frame truncated at any length is rejected", "[rpc]") {
  std::string frame = encode(samplePing(), 5);
  for (size_t len = 0; len < frame.size(); ++len) {
    INFO("length " << len);
    auto env = decodeFrame(frame.data(), len);
    REQUIRE_FALSE(env.isOk());
    CHECK(env.status().code() == StatusCode::kCorruption);
    if (len < kFrameHeaderSize) {
      CHECK(env.status().message() ==
            "truncated frame: " + std::to_string(len) + " bytes, header needs 20");
    } else {
      CHECK(contains(env.status().message(), "truncated frame"));
    }
  }
}

TEST_CASE("trailing bytes after the payload are rejected", "[rpc]") {
  std::string frame = encode(samplePing()) + "junk";
  auto env = decode(frame);
  REQUIRE_FALSE(env.isOk());
  CHECK(contains(env.status().message(), "trailing bytes"));
}

TEST_CASE("bad magic is rejected", "[rpc]") {
  std::string frame = encode(samplePing());
  frame[0] = 'X';
  auto env = decode(frame);
  REQUIRE_FALSE(env.isOk());
  CHECK(contains(env.status().message(), "magic"));
}

TEST_CASE("unknown tags are rejected with their number", "[rpc]") {
  for (uint16_t tag : {uint16_t{0}, uint16_t{9}, uint16_t{9999}}) {
    std::string frame = encode(samplePing());
    writeLe(frame, 4, tag, 2);
    auto env = decode(frame);
    REQUIRE_FALSE(env.isOk());
    CHECK(env.status().message() == "unknown message tag " + std::to_string(tag));
  }
}

TEST_CASE("frames above max_bytes are rejected", "[rpc]") {
  std::string payload(1000, 'p');
  std::string frame = encodeFrame(MessageTag::kFetchBlocksReply, payload);
  CHECK(decode(frame, frame.size()).isOk());
  auto env = decode(frame, frame.size() - 1);
  REQUIRE_FALSE(env.isOk());
  CHECK(contains(env.status().message(), "exceeds the limit"));
}

TEST_CASE("decodeAs with a cut payload is an error, not a crash", "[rpc]") {
  std::string payload = toBytes(samplePing());
  for (size_t cut = 0; cut < payload.size(); ++cut) {
    INFO("payload cut at " << cut);
    // A valid header whose length is patched to the cut payload.
    std::string frame = encodeFrame(MessageTag::kPing, payload.substr(0, cut));
    auto env = decode(frame);
    REQUIRE(env.isOk());
    auto msg = decodeAs<FramePing>(*env);
    REQUIRE_FALSE(msg.isOk());
    CHECK(msg.status().code() == StatusCode::kCorruption);
  }
}

TEST_CASE("decodeAs rejects the wrong tag", "[rpc]") {
  auto env = decode(encode(samplePing()));
  REQUIRE(env.isOk());
  auto msg = decodeAs<FramePong>(*env);
  REQUIRE_FALSE(msg.isOk());
  CHECK(msg.status().code() == StatusCode::kInvalidArgument);
  CHECK(msg.status().message() == "expected message kPong, got kPing");
}

}  // namespace
}  // namespace sluice::rpc
