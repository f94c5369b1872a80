#include "rpc/send_budget.h"

#include <catch2/catch.hpp>

#include <optional>
#include <vector>

namespace sluice::rpc {
namespace {

TEST_CASE("a peer's send budget refuses a frame past its bytes and takes frames again once they are freed",
          "[rpc]") {
  SendBudgets budgets;
  const Peer slow = Peer::dealer("tcp://127.0.0.1:1");
  const Peer other = Peer::dealer("tcp://127.0.0.1:2");
  std::vector<zmq::message_t> held;  // what ZeroMQ has not written yet
  for (int i = 0; i < 2; ++i) {
    std::string frame(40, 'a');
    auto msg = budgets.charge(slow, frame, 100);
    REQUIRE(msg.has_value());
    CHECK(msg->size() == 40);
    CHECK(frame.empty());  // moved into the message: no copy
    held.push_back(std::move(*msg));
  }
  CHECK(budgets.outstanding(slow) == 80);
  std::string third(40, 'c');
  CHECK(!budgets.charge(slow, third, 100).has_value());
  CHECK(third.size() == 40);  // left to the caller
  // Another peer has a budget of its own.
  std::string elsewhere(90, 'e');
  CHECK(budgets.charge(other, elsewhere, 100).has_value());  // freed at once: never queued
  CHECK(budgets.outstanding(other) == 0);
  // ZeroMQ frees a message once written: its bytes come back.
  held.erase(held.begin());
  CHECK(budgets.outstanding(slow) == 40);
  auto msg = budgets.charge(slow, third, 100);
  REQUIRE(msg.has_value());
  CHECK(budgets.outstanding(slow) == 80);
  msg.reset();
  held.clear();
  CHECK(budgets.outstanding(slow) == 0);
}

TEST_CASE("a frame as large as the budget always goes when nothing is outstanding", "[rpc]") {
  SendBudgets budgets;
  const Peer peer{Peer::Kind::kRouterClient, "id"};
  std::string big(100, 'x');
  auto msg = budgets.charge(peer, big, 100);
  REQUIRE(msg.has_value());
  CHECK(budgets.outstanding(peer) == 100);
  std::string tiny(1, 'y');
  CHECK(!budgets.charge(peer, tiny, 100).has_value());
}

TEST_CASE("send budgets forget peers with nothing outstanding", "[rpc]") {
  SendBudgets budgets;
  for (int i = 0; i < 10000; ++i) {
    std::string frame(20, 'f');
    CHECK(budgets.charge(Peer{Peer::Kind::kRouterClient, std::to_string(i)}, frame, 100).has_value());
  }
  // Every message was freed at once, so the table was pruned as it grew: a peer that comes
  // back starts from zero.
  CHECK(budgets.outstanding(Peer{Peer::Kind::kRouterClient, "0"}) == 0);
}

}  // namespace
}  // namespace sluice::rpc
