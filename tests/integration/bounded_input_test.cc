// Bounded input on every port (issue 16, item 4): a frame above rpc.maxFrameBytes sent to a
// real master, a real worker and the real executor of a running streaming application is
// refused by ZeroMQ before it is buffered (VmHWM from /proc does not grow by its size), costs
// one log line, and the daemon goes on serving. A flood of large requests from one peer that
// never reads its replies leaves the daemon's peak memory within the per-peer bound of
// rpc/FORMAT.md ("Limits"), and others are served meanwhile.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>
#include <zmq.hpp>

#include "common/serialize.h"
#include "rpc/frame.h"
#include "rpc/peer_bounds.h"
#include "rpc/streaming_messages.h"
#include "tests/integration/hostile_peer.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace sluice::testing::hostile;
using namespace std::chrono_literals;

namespace {

constexpr size_t kMiB = size_t{1} << 20;

// A kPing frame of size bytes whose header tells the truth about its payload.
std::string pingFrame(size_t size, uint64_t correlation = 0) {
  std::string frame = rpc::encodeFrame(rpc::MessageTag::kPing, "", correlation);
  auto payload = static_cast<uint32_t>(size - rpc::kFrameHeaderSize);
  std::memcpy(frame.data() + 16, &payload, sizeof payload);  // little-endian, as the format
  frame.resize(size, 'x');
  return frame;
}

// The line a daemon logs when ZeroMQ closes a connection after its handshake, which is what
// it does, without a word, to a frame above ZMQ_MAXMSGSIZE.
const std::string kClosedLine = "above rpc.maxFrameBytes";

// Sends a frame of 300 MiB (above the default limit of 256 MiB) to endpoint and checks: one
// line, no growth of the daemon's peak memory by anything like the frame's size, and the
// worker ALIVE for a whole worker timeout afterwards.
void refuseOversized(const LocalStandaloneCluster& d, pid_t pid, const std::function<std::string()>& log,
                     const std::string& endpoint) {
  const size_t frame_size = 300 * kMiB;
  REQUIRE(frame_size > rpc::kDefaultMaxFrameBytes);
  std::string frame = pingFrame(frame_size);
  size_t lines_before = countOf(log(), kClosedLine);
  int64_t hwm_before = procStatusKb(pid, "VmHWM");
  REQUIRE(hwm_before > 0);
  sendFrame(endpoint, frame);
  REQUIRE(waitFor([&] { return countOf(log(), kClosedLine) > lines_before; }, 20s));
  int64_t hwm_after = procStatusKb(pid, "VmHWM");
  {
    INFO(log());
    CHECK(countOf(log(), kClosedLine) == lines_before + 1);
  }
  INFO("VmHWM before " << hwm_before << " kB, after " << hwm_after << " kB, frame " << frame_size / 1024 << " kB");
  CHECK(hwm_after - hwm_before < static_cast<int64_t>(frame_size / 1024 / 4));
  CHECK(::kill(pid, 0) == 0);
  requireWorkerStaysAlive(d);
}

}  // namespace

TEST_CASE("a frame above rpc.maxFrameBytes is refused unbuffered by the master, a worker and an executor",
          "[integration][frames]") {
  LocalStandaloneCluster d("bounded-oversized", kMasterHost);
  startDaemons(d);
  TextGenerator gen(d.tmp(), 50, 0);  // runs until the test ends
  RunningExecutor executor = startStreamingApp(d, gen.port);
  const std::string& executor_log = executor.log;
  const std::string& executor_endpoint = executor.endpoint;
  const std::vector<pid_t>& executors = executor.pids;

  refuseOversized(d, d.master().pid(), [&] { return d.master().err(); }, d.masterEndpoint());
  rpc::Envelope pong = roundTrip(d.masterEndpoint(), rpc::encodeFrame(rpc::MessageTag::kPing, "master?", 7));
  CHECK(pong.tag == rpc::MessageTag::kPong);
  CHECK(pong.payload == "master?");

  refuseOversized(d, d.worker(kWorker).pid(), [&] { return d.worker(kWorker).err(); }, d.workerEndpoint(kWorker));
  pong = roundTrip(d.workerEndpoint(kWorker), rpc::encodeFrame(rpc::MessageTag::kPing, "", 8));
  CHECK(pong.tag == rpc::MessageTag::kPong);

  refuseOversized(d, executors[0], [&] { return readFile(executor_log); }, executor_endpoint);
  rpc::Envelope fetched = roundTrip(executor_endpoint, rpc::encode(rpc::FetchStreamBlock{"no-such-block"}, 9));
  CHECK(fetched.tag == rpc::MessageTag::kFetchStreamBlockReply);

  // Serving goes on: the application still runs, with its executor.
  auto j = d.state();
  REQUIRE(j.has_value());
  CHECK((*j)["activeapps"].size() == 1);
  CHECK(!executor.app->wait(0ms));
  CHECK(descendantsNamed(d.worker(kWorker).pid(), "sluice-executor") == executors);
}

TEST_CASE("a flood of large pings from one peer that never reads its pongs leaves the master's memory bounded",
          "[integration][frames]") {
  // The smallest limit, so that the flood is quick: every frame and pong just under 16 MiB.
  const size_t limit = 16 * kMiB;
  LocalStandaloneCluster d("bounded-flood", kMasterHost);
  startDaemons(d, {"--conf", "rpc.maxFrameBytes=16m"});
  const pid_t master = d.master().pid();
  int64_t hwm_before = procStatusKb(master, "VmHWM");
  REQUIRE(hwm_before > 0);

  // The flooder: one connection that takes in as little as it can and never reads. Its
  // kPings are requests (correlation != 0), so the master echoes each payload in a kPong.
  constexpr int kFrames = 96;
  zmq::context_t ctx;
  zmq::socket_t flooder(ctx, zmq::socket_type::dealer);
  flooder.set(zmq::sockopt::linger, 0);
  flooder.set(zmq::sockopt::rcvhwm, 1);
  flooder.set(zmq::sockopt::rcvbuf, 4096);
  flooder.set(zmq::sockopt::sndhwm, kFrames + 1);
  flooder.connect(d.masterEndpoint());
  const std::string ping = pingFrame(limit - 64, 1);
  for (int i = 0; i < kFrames; ++i) {
    zmq::message_t msg(const_cast<char*>(ping.data()), ping.size(), nullptr, nullptr);
    REQUIRE(flooder.send(msg, zmq::send_flags::none));
  }
  // Then a frame with an unknown tag: its line in the master's log means that the master has
  // handled every ping before it (one peer's frames arrive in order).
  std::string marker = rpc::encodeFrame(rpc::MessageTag::kPing, "");
  marker[4] = 9;  // tag 9 is not a message
  REQUIRE(flooder.send(zmq::buffer(marker), zmq::send_flags::none));

  // Others are served meanwhile.
  rpc::Envelope pong = roundTrip(d.masterEndpoint(), rpc::encodeFrame(rpc::MessageTag::kPing, "others?", 3));
  CHECK(pong.payload == "others?");
  REQUIRE(waitFor([&] { return countOf(d.master().err(), "unknown message tag 9") == 1; }, 60s));
  int64_t hwm_after = procStatusKb(master, "VmHWM");

  // What one peer may make a daemon hold (rpc/FORMAT.md, "Limits"), the frame being handled
  // with its decoded copy and its reply, and 96 MiB for everything else (the allocator keeps
  // some of what was freed; the daemon's own work goes on).
  const int64_t bound_kb =
      static_cast<int64_t>(rpc::perPeerBoundBytes(limit) + 3 * limit) / 1024 + 96 * 1024;
  const int64_t flood_kb = static_cast<int64_t>(kFrames * ping.size() / 1024);
  REQUIRE(flood_kb > 2 * bound_kb);  // the test means something
  INFO("VmHWM before " << hwm_before << " kB, after " << hwm_after << " kB; bound " << bound_kb
                       << " kB, flood " << flood_kb << " kB");
  CHECK(hwm_after - hwm_before <= bound_kb);
  // And serving goes on.
  pong = roundTrip(d.masterEndpoint(), rpc::encodeFrame(rpc::MessageTag::kPing, "still there?", 4));
  CHECK(pong.payload == "still there?");
  CHECK(workerAlive(d));
  CHECK(!d.master().wait(0ms));
}
