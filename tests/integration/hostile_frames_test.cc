// Hostile bytes on the daemons' ports (issue 11): a real master, a real worker and the real
// executor of a running streaming application each get a frame of under 64 bytes whose
// payload claims a 1 GiB length. Each refuses it with one clear line, without a large
// allocation (VmHWM from /proc), and keeps serving; the worker stays ALIVE meanwhile. Raw
// non-ZeroMQ bytes on the master's port cost one line per connection, and a flood of them
// from one host a bounded number of lines.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <zmq.hpp>

#include "common/serialize.h"
#include "rpc/frame.h"
#include "tests/integration/hostile_peer.h"
#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace sluice::testing::hostile;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr uint64_t kClaimed = uint64_t{1} << 30;
constexpr int64_t kAllowedGrowthKb = 100 * 1024;

// A frame of tag whose payload is `prefix`, then an 8-byte length claiming kClaimed, then a
// little padding: under 64 bytes in all.
std::string hugeClaimFrame(rpc::MessageTag tag, const std::string& prefix = "") {
  std::string payload = prefix + toBytes(kClaimed);
  payload.resize(payload.size() + 8, 'x');
  std::string frame = rpc::encodeFrame(tag, payload);
  REQUIRE(frame.size() < 64);
  return frame;
}

// Opens a TCP connection from source_ip to ip:port, writes bytes, and closes it.
void sendRawBytes(const std::string& source_ip, const std::string& ip, int port, const std::string& bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  ::inet_pton(AF_INET, source_ip.c_str(), &src.sin_addr);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) == 0);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, ip.c_str(), &dst.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) == 0);
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the daemon may close first: that is its answer
    sent += static_cast<size_t>(n);
  }
  ::close(fd);
}

std::string randomBytes(size_t n, uint64_t seed, char first) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  out[0] = first;
  return out;
}

// Sends frame to a daemon, then checks: exactly one line naming the claim, no large
// allocation, and the worker ALIVE for a whole worker timeout afterwards.
void refuseHugeClaim(const LocalStandaloneCluster& d, pid_t pid, const std::function<std::string()>& log,
                     const std::string& endpoint, const std::string& frame) {
  const std::string claim = "length " + std::to_string(kClaimed) + " claimed";
  int64_t hwm_before = procStatusKb(pid, "VmHWM");
  REQUIRE(hwm_before > 0);
  sendFrame(endpoint, frame);
  REQUIRE(waitFor([&] { return countOf(log(), claim) >= 1; }, 20s));
  INFO(log());
  CHECK(countOf(log(), claim) == 1);
  int64_t hwm_after = procStatusKb(pid, "VmHWM");
  INFO("VmHWM before " << hwm_before << " kB, after " << hwm_after << " kB");
  CHECK(hwm_after < hwm_before + kAllowedGrowthKb);
  CHECK(::kill(pid, 0) == 0);
  requireWorkerStaysAlive(d);
}

}  // namespace

TEST_CASE("a frame under 64 bytes claiming 1 GiB is refused by the master and a worker and an executor",
          "[integration][frames]") {
  LocalStandaloneCluster d("hostile-claim", kMasterHost);
  startDaemons(d);
  TextGenerator gen(d.tmp(), 50, 0);  // runs until the test ends
  RunningExecutor executor = startStreamingApp(d, gen.port);
  const std::string& executor_log = executor.log;
  const std::string& executor_endpoint = executor.endpoint;
  const std::vector<pid_t>& executors = executor.pids;

  // RegisterWorker starts with the worker id: claim 1 GiB of it.
  refuseHugeClaim(d, d.master().pid(), [&] { return d.master().err(); }, d.masterEndpoint(),
                  hugeClaimFrame(rpc::MessageTag::kRegisterWorker));
  CHECK(d.state().has_value());
  // LaunchExecutor starts with the application id.
  refuseHugeClaim(d, d.worker(kWorker).pid(), [&] { return d.worker(kWorker).err(); }, d.workerEndpoint(kWorker),
                  hugeClaimFrame(rpc::MessageTag::kLaunchExecutor));
  // FetchBlocks: shuffle id, reduce id, then the map ids, a vector claiming 1 GiB entries.
  refuseHugeClaim(d, executors[0], [&] { return readFile(executor_log); }, executor_endpoint,
                  hugeClaimFrame(rpc::MessageTag::kFetchBlocks, toBytes(int32_t{0}, int32_t{0})));
  // Serving goes on: the application still runs, with its executor.
  auto j = d.state();
  REQUIRE(j.has_value());
  CHECK((*j)["activeapps"].size() == 1);
  CHECK(!executor.app->wait(0ms));
  CHECK(descendantsNamed(d.worker(kWorker).pid(), "sluice-executor") == executors);
}

TEST_CASE("raw non-ZeroMQ bytes on the master port cost one line per connection and a flood a bounded few",
          "[integration][frames]") {
  LocalStandaloneCluster d("hostile-raw", kMasterHost);
  startDaemons(d);
  const std::string refused = "refused a connection to " + d.masterEndpoint();
  sendRawBytes("127.0.0.1", kMasterHost, d.port(), "GET / HTTP/1.0\r\n\r\n");
  REQUIRE(waitFor([&] { return countOf(d.master().err(), refused) >= 1; }, 20s));
  // Noise that reads as an old ZeroMQ greeting, and noise that starts like ZMTP 3's.
  sendRawBytes("127.0.0.1", kMasterHost, d.port(), randomBytes(4096, 1, 'x'));
  sendRawBytes("127.0.0.1", kMasterHost, d.port(), randomBytes(4096, 2, '\xff'));
  REQUIRE(waitFor([&] { return countOf(d.master().err(), refused) >= 3; }, 20s));
  {
    std::string log = d.master().err();
    INFO(log);
    CHECK(countOf(log, refused) == 3);
    CHECK(countOf(log, "dropped malformed frame") == 0);  // no bytes were parsed as messages
  }
  // A flood: it costs at most the burst of 5 lines a minute, whatever its size.
  for (int i = 0; i < 50; ++i) sendRawBytes("127.0.0.1", kMasterHost, d.port(), randomBytes(256, 10 + i, 'G'));
  REQUIRE(waitFor([&] { return countOf(d.master().err(), refused) >= 5; }, 30s));
  // A ZeroMQ round trip after the flood (the master answers kPing with kPong) before counting.
  {
    zmq::context_t ctx;
    zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::rcvtimeo, 20000);
    dealer.connect(d.masterEndpoint());
    std::string ping = rpc::encodeFrame(rpc::MessageTag::kPing, "still there?", 77);
    dealer.send(zmq::buffer(ping), zmq::send_flags::none);
    zmq::message_t pong;
    REQUIRE(dealer.recv(pong, zmq::recv_flags::none));
    auto env = rpc::decodeFrame(pong.data(), pong.size());
    REQUIRE(env.isOk());
    CHECK(env->tag == rpc::MessageTag::kPong);
    CHECK(env->payload == "still there?");
  }
  std::string log = d.master().err();
  INFO(log);
  CHECK(countOf(log, refused) == 5);
  // Serving goes on.
  CHECK(workerAlive(d));
  CHECK(!d.master().wait(0ms));
}
