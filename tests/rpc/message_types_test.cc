#include "rpc/message_types.h"

#include <catch2/catch.hpp>
#include <set>

#include "rpc/frame.h"

namespace sluice::rpc {
namespace {

TEST_CASE("every message tag but the raw ping and pong and error has its type in AllMessages", "[rpc]") {
  std::set<uint16_t> listed;
  AllMessages::forEach([&](auto type) {
    using M = typename decltype(type)::type;
    CHECK(listed.insert(static_cast<uint16_t>(M::kTag)).second);  // each tag once
    // Each default message survives a frame round trip through the bounded decoder.
    std::string frame = encode(M{}, 5);
    auto env = decodeFrame(frame.data(), frame.size());
    REQUIRE(env.isOk());
    auto back = decodeAs<M>(*env);
    INFO(tagName(M::kTag));
    CHECK(back.isOk());
  });
  const std::set<MessageTag> raw = {MessageTag::kPing, MessageTag::kPong, MessageTag::kError};
  for (uint16_t tag = 0; tag < static_cast<uint16_t>(MessageTag::kEnd); ++tag) {
    if (!isKnownTag(tag) || raw.count(static_cast<MessageTag>(tag))) continue;
    INFO(tagName(static_cast<MessageTag>(tag)));
    CHECK(listed.count(tag) == 1);
  }
}

}  // namespace
}  // namespace sluice::rpc
