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
  auto until = std::chrono::steady_clock::now() + 4s;  // longer than worker.timeout (3 s)
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(workerAlive(d));
    std::this_thread::sleep_for(200ms);
  }
}

}  // namespace

TEST_CASE("a frame above rpc.maxFrameBytes is refused unbuffered by the master, a worker and an executor",
          "[integration][frames]") {
  LocalStandaloneCluster d("bounded-oversized", kMasterHost);
  startDaemons(d);
  TextGenerator gen(d.tmp(), 50, 0);  // runs until the test ends
  auto app = d.submit({"--deploy-mode", "client", "--total-executor-cores", "2", "--executor-cores", "2", "--conf",
                       "ui.port=0", libDir() + "/libnetwork_word_count.so", "127.0.0.1", std::to_string(gen.port),
                       "500"},
                      "app");
  std::string executor_log;
  REQUIRE(waitFor([&] { return !(executor_log = findExecutorLog(d.workDir(kWorker))).empty(); }, 60s));
  std::string executor_endpoint = firstCapture(readFile(executor_log), R"(blocks at (tcp://[0-9.]+:\d+))");
  REQUIRE(!executor_endpoint.empty());
  auto executors = descendantsNamed(d.worker(kWorker).pid(), "sluice-executor");
  REQUIRE(executors.size() == 1);

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
  CHECK(!app->wait(0ms));
  CHECK(descendantsNamed(d.worker(kWorker).pid(), "sluice-executor") == executors);
}
