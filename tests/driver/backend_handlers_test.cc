// The driver's scheduler backend dispatches the message kinds it does not handle itself to
// handlers registered per kind (the receiver protocol's), over a real socket on 127.0.0.1.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>

#include "driver/coarse_grained_scheduler_backend.h"
#include "rpc/streaming_messages.h"
#include "rpc/transport.h"

using namespace sluice;
using namespace std::chrono_literals;

namespace {

CoarseGrainedSchedulerBackend::Handler<rpc::AddBlock> ignoreAddBlock() {
  return [](const rpc::Peer&, const rpc::Envelope&, rpc::AddBlock&&) {};
}

}  // namespace

TEST_CASE("scheduler backend: one handler per message kind, none for its own kinds", "[driver]") {
  CoarseGrainedSchedulerBackend backend(Conf{}, {});
  REQUIRE(backend.registerHandler<rpc::AddBlock>(ignoreAddBlock()));
  Status second = backend.registerHandler<rpc::AddBlock>(ignoreAddBlock());
  REQUIRE_FALSE(second);
  CHECK(second.message().find("kAddBlock") != std::string::npos);
  // A kind the backend handles itself cannot be taken over.
  CHECK_FALSE(
      backend.registerHandler<rpc::TaskStatus>([](const rpc::Peer&, const rpc::Envelope&, rpc::TaskStatus&&) {}));
  // Another kind is free; an unregistered kind can be registered again.
  CHECK(backend.registerHandler<rpc::ReceiverError>(
      [](const rpc::Peer&, const rpc::Envelope&, rpc::ReceiverError&&) {}));
  backend.unregisterHandler<rpc::AddBlock>();
  CHECK(backend.registerHandler<rpc::AddBlock>(ignoreAddBlock()));
}

TEST_CASE("scheduler backend: a registered handler gets its kind decoded and answers, and a malformed payload never "
          "reaches it",
          "[driver]") {
  CoarseGrainedSchedulerBackend backend(Conf{}, {});
  std::atomic<int> calls{0};
  REQUIRE(backend.registerHandler<rpc::AddBlock>(
      [&](const rpc::Peer& from, const rpc::Envelope& request, rpc::AddBlock&& msg) {
        ++calls;
        rpc::AddBlockReply reply;
        reply.ok = true;
        reply.error = "recorded " + msg.block.block_id + " of stream " + std::to_string(msg.block.stream_id);
        backend.reply(from, request, reply);
      }));
  auto endpoint = backend.start("127.0.0.1", 0, nullptr);
  REQUIRE(endpoint);

  rpc::Transport client("test-executor");
  client.start();
  rpc::Peer driver = rpc::Peer::dealer(*endpoint);
  // Not an AddBlock payload: reported and dropped by the backend, the handler never runs.
  client.send(driver, rpc::encodeFrame(rpc::MessageTag::kAddBlock, "\x01", 0));
  rpc::AddBlock add;
  add.block.stream_id = 3;
  add.block.block_id = "input-3-1-0";
  auto answer = client.call(driver, add, 5000ms);
  REQUIRE(answer);
  auto reply = rpc::decodeAs<rpc::AddBlockReply>(*answer);
  REQUIRE(reply);
  CHECK(reply->ok);
  CHECK(reply->error == "recorded input-3-1-0 of stream 3");
  // Frames from one peer are handled in order: the malformed one came first.
  CHECK(calls == 1);

  // Unregistered, the kind is dropped: the call gets no answer.
  backend.unregisterHandler<rpc::AddBlock>();
  auto unanswered = client.call(driver, add, 300ms);
  CHECK(unanswered.status().code() == StatusCode::kTimeout);
  CHECK(calls == 1);
  client.stop();
  backend.stop();
}
