// A master that cannot be found or does not answer, as a user meets it (issue 15, item 5):
// a host name that does not resolve fails at once with the resolver's reason; a master
// that does not answer is named by its URL and the wait, never by the messages the
// processes exchange. For sluice-submit (client and cluster mode, --status) and
// sluice-worker.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// RFC 2606: a name that never resolves.
const std::string kNoHost = "nohost.invalid";

// A TCP port on 127.0.0.1 that nobody answers on: bound, never listening, for as long as
// this object lives.
class SilentPort {
 public:
  SilentPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentPort() { ::close(fd_); }
  std::string url() const { return "sluice://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

struct Outcome {
  int code;
  std::string err;
};

// Runs a Sluice binary with args to its end (a minute at most).
Outcome run(const std::string& binary, const std::vector<std::string>& args, const TempDir& tmp,
            const std::string& log) {
  std::vector<std::string> argv{binDir() + "/" + binary};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, tmp / log);
  auto exit = child.wait(60s);
  REQUIRE(exit.has_value());
  return {exit->exit_code, child.err()};
}

// No internal message name (kRegisterApplication, kSubmitDriver, ...) in text.
void checkNoMessageNames(const std::string& text) {
  INFO(text);
  CHECK(text.find("kRegister") == std::string::npos);
  CHECK(text.find("kSubmit") == std::string::npos);
  CHECK(text.find("kDriverStatus") == std::string::npos);
}

}  // namespace

TEST_CASE("a master host that does not resolve fails at once with the resolver's error", "[integration][submit]") {
  TempDir tmp("master-nohost");
  const std::string master = "sluice://" + kNoHost + ":1";
  const std::string app = libDir() + "/libword_count.so";
  const std::string want = "cannot resolve master host '" + kNoHost + "': ";
  SECTION("sluice-submit in client mode") {
    auto r = run("sluice-submit", {"--master", master, app, tmp / "in.txt", tmp / "out"}, tmp, "client");
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(want) != std::string::npos);
    checkNoMessageNames(r.err);
  }
  SECTION("sluice-submit in cluster mode") {
    auto r = run("sluice-submit", {"--master", master, "--deploy-mode", "cluster", app, "in.txt"}, tmp, "cluster");
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(want) != std::string::npos);
    checkNoMessageNames(r.err);
  }
  SECTION("sluice-submit --status") {
    auto r = run("sluice-submit", {"--master", master, "--status", "driver-1"}, tmp, "status");
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(want) != std::string::npos);
  }
  SECTION("sluice-worker") {
    auto r = run("sluice-worker", {master, "--host", "127.0.0.1", "--webui-port", "0", "--work-dir", tmp / "work"}, tmp,
                 "worker");
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(want) != std::string::npos);
  }
}

TEST_CASE("a master that does not answer is named by its URL and the wait", "[integration][submit]") {
  TempDir tmp("master-silent");
  SilentPort silent;
  const std::string app = libDir() + "/libword_count.so";
  const std::string want = "no master answered at " + silent.url() + " within 1 s";
  SECTION("sluice-submit in client mode") {
    auto r = run("sluice-submit",
                 {"--master", silent.url(), "--conf", "master.connectTimeout=1s", "--conf", "ui.enabled=false", app,
                  tmp / "in.txt", tmp / "out"},
                 tmp, "client");
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(want) != std::string::npos);
    checkNoMessageNames(r.err);
  }
  SECTION("sluice-submit in cluster mode") {
    auto r = run("sluice-submit",
                 {"--master", silent.url(), "--conf", "master.connectTimeout=1s", "--deploy-mode", "cluster", app,
                  "in.txt"},
                 tmp, "cluster");
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(want) != std::string::npos);
    checkNoMessageNames(r.err);
  }
  SECTION("sluice-worker, which keeps trying") {
    Child worker({binDir() + "/sluice-worker", silent.url(), "--host", "127.0.0.1", "--webui-port", "0", "--work-dir",
                  tmp / "work", "--conf", "worker.registrationRetryInterval=1s"},
                 tmp / "worker");
    REQUIRE(worker.started());
    std::string line = waitForMatch([&] { return worker.err(); }, "(not registered yet: .*)", 30s);
    INFO(worker.err());
    CHECK(line.find(want) != std::string::npos);
    checkNoMessageNames(worker.err());
  }
}
