// Transport::sendComposed: the frame is made on the I/O thread when its turn comes, so a
// sender that appends to an outbox and posts one compose at a time gets everything across,
// each item once and in order, in as many frames as the I/O thread needed.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rpc/executor_messages.h"
#include "rpc/transport.h"

namespace sluice::rpc {
namespace {

using namespace std::chrono_literals;

TEST_CASE("sendComposed coalesces an outbox on the I/O thread, each item once and in order", "[rpc][batch]") {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int64_t> received;
  int frames = 0;
  int undecodable = 0;  // counted, not asserted, on the server's I/O thread
  Transport server("composed-server");
  auto endpoint = server.bind("tcp://127.0.0.1:0");
  REQUIRE(endpoint.isOk());
  server.setHandler([&](const Peer&, Envelope&& msg) {
    auto batch = decodeAs<TaskStatuses>(msg);
    std::lock_guard<std::mutex> lock(mu);
    if (!batch) {
      ++undecodable;
      return;
    }
    ++frames;
    for (const auto& s : batch->statuses) received.push_back(s.task_id);
    cv.notify_all();
  });
  server.start();

  Transport client("composed-client");
  client.start();
  std::vector<TaskStatus> outbox;
  bool posted = false;
  std::thread::id composer;
  auto compose = [&] {
    TaskStatuses batch;
    std::lock_guard<std::mutex> lock(mu);
    composer = std::this_thread::get_id();
    batch.statuses.swap(outbox);
    posted = false;
    return batch.statuses.empty() ? std::string() : encode(batch);
  };
  constexpr int kItems = 2000;
  for (int i = 0; i < kItems; ++i) {
    TaskStatus s;
    s.task_id = i;
    bool post;
    {
      std::lock_guard<std::mutex> lock(mu);
      outbox.push_back(s);
      post = !posted;
      posted = true;
    }
    if (post) client.sendComposed(Peer::dealer(*endpoint), compose);
  }
  std::unique_lock<std::mutex> lock(mu);
  REQUIRE(cv.wait_for(lock, 10s, [&] { return received.size() >= static_cast<size_t>(kItems); }));
  REQUIRE(received.size() == static_cast<size_t>(kItems));
  for (int i = 0; i < kItems; ++i) REQUIRE(received[static_cast<size_t>(i)] == i);
  CHECK(undecodable == 0);
  CHECK(frames <= kItems);
  CHECK(composer != std::this_thread::get_id());  // made on the client's I/O thread
}

}  // namespace
}  // namespace sluice::rpc
