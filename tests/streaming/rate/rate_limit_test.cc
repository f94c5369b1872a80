// Rate limits and backpressure end to end, in local mode (the driver, its executor and the
// receiver's token bucket in one process, over the same RPC as a cluster):
//   - queueStream takes at most maxRate x interval records per batch and keeps the rest,
//   - a receiver under streaming.receiver.maxRate puts at most its share in each batch,
//     and a socket receiver so limited pushes its TCP sender back,
//   - with a source faster than processing, backpressure keeps the queue of batches
//     bounded where, without it, the queue grows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fstream>
#include <numeric>
#include <thread>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "streaming/ui/streaming_rest.h"
#include "tests/integration/process_util.h"
#include "tests/streaming/streaming_test_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// Records of each completed batch, by batch time.
class BatchSizes {
 public:
  void add(Time t, int64_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    sizes_[t] = n;
  }
  std::map<Time, int64_t> sizes() {
    std::lock_guard<std::mutex> lock(mu_);
    return sizes_;
  }

 private:
  std::mutex mu_;
  std::map<Time, int64_t> sizes_;
};

std::unique_ptr<Context> localContext(const std::string& name, const std::map<std::string, std::string>& settings) {
  Conf conf;
  conf.set("ui.enabled", "false");
  for (const auto& [k, v] : settings) conf.set(k, v);
  auto ctx = Context::create({"local[2]", name, "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

}  // namespace

TEST_CASE("maxRate bounds each batch of a queueStream and keeps the rest for later batches", "[streaming][rate]") {
  Conf conf;
  conf.set("streaming.clock", "manual");
  conf.set("ui.enabled", "false");
  conf.set("streaming.receiver.maxRate", "4");  // 4 records per 1 s batch
  auto ctx = Context::create({"local[2]", "queue-bound-test", "", conf});
  REQUIRE(ctx.isOk());
  StreamingContext ssc(**ctx, Seconds(1));
  auto queue = std::make_shared<RDDQueue<int>>();
  queue->push((*ctx)->parallelize(std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3));
  queue->push((*ctx)->parallelize(std::vector<int>{10, 11}, 2));
  auto out = std::make_shared<Collected<int>>();
  ssc.queueStream(queue, /*one_at_a_time=*/false).foreachRDD([out](const RDD<int>& rdd) { out->add(rdd.collect()); });
  ssc.start();
  for (int i = 1; i <= 5; ++i) {
    ssc.manualClock()->advance(1000);
    REQUIRE(ssc.waitForBatch(i * 1000, 30s));
  }
  auto p = ssc.progress();
  ssc.stop();
  using Batches = std::vector<std::vector<int>>;
  // Nothing dropped, nothing twice, in the queue's order, 4 at most per batch.
  CHECK(out->batches() == Batches{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}, {}, {}});
  REQUIRE(p.completed.size() == 5);
  CHECK(p.completed[0].num_records == 4);  // the batch metrics count what was taken
  CHECK(p.completed[2].num_records == 4);
}

TEST_CASE("maxRate with one RDD at a time: a batch takes the rest of one RDD, never two", "[streaming][rate]") {
  Conf conf;
  conf.set("streaming.clock", "manual");
  conf.set("ui.enabled", "false");
  conf.set("spark.streaming.receiver.maxRate", "3");
  auto ctx = Context::create({"local[2]", "queue-bound-test", "", conf});
  REQUIRE(ctx.isOk());
  StreamingContext ssc(**ctx, Seconds(1));
  auto queue = std::make_shared<RDDQueue<int>>();
  queue->push((*ctx)->parallelize(std::vector<int>{0, 1, 2, 3, 4}, 2));
  queue->push((*ctx)->parallelize(std::vector<int>{5}, 1));
  auto out = std::make_shared<Collected<int>>();
  ssc.queueStream(queue).foreachRDD([out](const RDD<int>& rdd) { out->add(rdd.collect()); });
  ssc.start();
  for (int i = 1; i <= 4; ++i) {
    ssc.manualClock()->advance(1000);
    REQUIRE(ssc.waitForBatch(i * 1000, 30s));
  }
  ssc.stop();
  using Batches = std::vector<std::vector<int>>;
  CHECK(out->batches() == Batches{{0, 1, 2}, {3, 4}, {5}, {}});
}

TEST_CASE("maxRate caps the records a receiver puts in each batch", "[streaming][rate]") {
  const int64_t max_rate = 2000, batch_ms = 500, block_ms = 100;
  auto ctx = localContext("max-rate-test", {{"streaming.receiver.maxRate", std::to_string(max_rate)},
                                            {"streaming.blockInterval", std::to_string(block_ms) + "ms"}});
  StreamingContext ssc(*ctx, Milliseconds(batch_ms));
  auto sizes = std::make_shared<BatchSizes>();
  // The source makes 50,000 records a second, 25 times the limit.
  ssc.rateStream(50'000, 20, 100).foreachRDD([sizes](const RDD<std::string>& rdd, Time t) {
    sizes->add(t, rdd.count());
  });
  ssc.start();
  REQUIRE(waitFor([&] { return sizes->sizes().size() >= 8; }, 60s));
  auto p = ssc.progress();
  ssc.stop();

  // A batch holds the records of the blocks reported before it closed. Blocks are cut
  // every block interval on the receiver's own clock, so the blocks of one batch span one
  // batch interval of storing, except that a block cut just before a batch closes may be
  // reported just after and join the next batch: that batch then spans one block interval
  // more. Over any span the token bucket lets through at most rate x span plus what it
  // held at the start, its burst (10 ms worth). Hence the bound: one block's worth of
  // slack, and the bucket's burst.
  const int64_t burst = max_rate / 100;
  const int64_t bound = max_rate * batch_ms / 1000 + max_rate * block_ms / 1000 + burst;
  int64_t total = 0;
  for (const auto& [t, n] : sizes->sizes()) {
    INFO("batch " << t << ": " << n << " records, bound " << bound);
    CHECK(n <= bound);
    total += n;
  }
  // The limit holds the source back (unlimited, a batch would hold about 25,000) and still
  // lets records through.
  CHECK(total > 0);
  REQUIRE(p.receivers.size() == 1);
  CHECK(p.receivers[0].rate_limit == max_rate);
  auto rest = streamingReceivers(p);
  CHECK(rest[0]["currentRateLimit"] == max_rate);
}

namespace {

// A TCP server on 127.0.0.1 that sends 10-byte lines to its one client as fast as the
// socket takes them, counting the bytes the kernel accepted and the times it found the
// socket full.
class FloodServer {
 public:
  FloodServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listen_fd_, 1) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FloodServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  int port() const { return port_; }
  int64_t sentBytes() const { return sent_; }
  int64_t timesFull() const { return full_; }

 private:
  void serve() {
    pollfd accept_poll{listen_fd_, POLLIN, 0};
    while (!stop_ && ::poll(&accept_poll, 1, 50) <= 0) {
    }
    if (stop_) return;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    std::string chunk;
    for (int i = 0; i < 6553; ++i) chunk += "line-" + std::to_string(1000 + i % 9000) + "\n";  // 10 bytes each
    size_t at = 0;
    while (!stop_) {
      pollfd out{fd, POLLOUT, 0};
      if (::poll(&out, 1, 50) <= 0) {
        ++full_;
        continue;
      }
      ssize_t n = ::send(fd, chunk.data() + at, chunk.size() - at, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) continue;
        break;  // the receiver closed
      }
      sent_ += n;
      at = (at + static_cast<size_t>(n)) % chunk.size();
    }
    ::close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> sent_{0};
  std::atomic<int64_t> full_{0};
  std::thread thread_;
};

// The largest buffer the kernel gives a TCP socket (net.ipv4.tcp_rmem's or tcp_wmem's
// third field).
int64_t tcpBufferMax(const std::string& which) {
  std::ifstream in("/proc/sys/net/ipv4/" + which);
  int64_t min = 0, def = 0, max = 0;
  in >> min >> def >> max;
  return max > 0 ? max : int64_t{64} << 20;
}

}  // namespace

TEST_CASE("maxRate pushes a TCP source back: the sender sends no faster than the receiver stores",
          "[streaming][rate]") {
  const int64_t max_rate = 2000;
  FloodServer server;
  auto ctx = localContext("socket-max-rate-test", {{"streaming.receiver.maxRate", std::to_string(max_rate)},
                                                   {"streaming.receiver.replication", "1"},
                                                   {"streaming.blockInterval", "100ms"}});
  StreamingContext ssc(*ctx, Milliseconds(500));
  auto sizes = std::make_shared<BatchSizes>();
  ssc.socketTextStream("127.0.0.1", server.port()).foreachRDD([sizes](const RDD<std::string>& rdd, Time t) {
    sizes->add(t, rdd.count());
  });
  auto started = std::chrono::steady_clock::now();
  ssc.start();
  REQUIRE(waitFor([&] { return sizes->sizes().size() >= 6 && server.timesFull() > 0; }, 60s));
  int64_t sent = server.sentBytes();
  double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ssc.stop();
  // What the sender got rid of is what the receiver stored (at most max_rate a second,
  // plus the bucket's burst), what its last read holds (64 KiB), and what the two
  // sockets' kernel buffers hold. Unlimited, the receiver would read loopback TCP at
  // hundreds of MB/s; here the sender found the socket full and waited.
  int64_t bound = 10 * (max_rate * static_cast<int64_t>(elapsed_s + 1) + max_rate / 100) + (64 << 10) +
                  tcpBufferMax("tcp_rmem") + tcpBufferMax("tcp_wmem");
  INFO("sent " << sent << " bytes in " << elapsed_s << " s; bound " << bound);
  CHECK(server.timesFull() > 0);
  CHECK(sent <= bound);
  for (const auto& [t, n] : sizes->sizes()) CHECK(n <= max_rate * 500 / 1000 + max_rate * 100 / 1000 + max_rate / 100);
}

namespace {

struct QueueTrend {
  std::vector<int64_t> queued;  // batches waiting or running, sampled every 100 ms
  std::vector<int64_t> rates;   // the receiver's bound at each sample
};

// Runs a stream of 20,000 records a second whose processing takes 200 us a record (a
// sleep, so that it is the same on a busy machine: 5,000 records a second, a quarter of
// the input) with 200 ms batches, until 40 batches were generated; samples the queue.
QueueTrend runSlowStream(bool backpressure) {
  std::map<std::string, std::string> settings{{"streaming.blockInterval", "50ms"}};
  if (backpressure) {
    settings["streaming.backpressure.enabled"] = "true";
    // The first batches, before any estimate, at a rate processing keeps up with (Spark's
    // advice); the estimator then finds the processing rate itself.
    settings["streaming.backpressure.initialRate"] = "1000";
  }
  auto ctx = localContext(backpressure ? "backpressure-on" : "backpressure-off", settings);
  StreamingContext ssc(*ctx, Milliseconds(200));
  ssc.rateStream(20'000, 20, 100).foreachRDD([](const RDD<std::string>& rdd) {
    rdd.mapPartitions([](std::vector<std::string>&& rows) {
         std::this_thread::sleep_for(std::chrono::microseconds(200) * rows.size());
         return std::vector<int64_t>{static_cast<int64_t>(rows.size())};
       })
        .collect();
  });
  ssc.start();
  QueueTrend trend;
  waitFor([&] {
    auto p = ssc.progress();
    trend.queued.push_back(static_cast<int64_t>(p.active.size()));
    trend.rates.push_back(p.receivers.empty() ? 0 : p.receivers[0].rate_limit);
    std::this_thread::sleep_for(100ms);
    return p.num_total_completed + static_cast<int64_t>(p.active.size()) >= 40;
  }, 60s);
  ssc.stop();
  return trend;
}

double mean(const std::vector<int64_t>& v, size_t from, size_t to) {
  if (to <= from) return 0;
  return static_cast<double>(std::accumulate(v.begin() + from, v.begin() + to, int64_t{0})) / (to - from);
}

}  // namespace

TEST_CASE("with a source faster than processing, backpressure keeps the queue bounded, without it the queue grows",
          "[streaming][rate]") {
  QueueTrend off = runSlowStream(false);
  QueueTrend on = runSlowStream(true);
  REQUIRE(off.queued.size() >= 8);
  REQUIRE(on.queued.size() >= 8);
  size_t n_off = off.queued.size(), n_on = on.queued.size();
  double off_early = mean(off.queued, 0, n_off / 4), off_late = mean(off.queued, n_off * 3 / 4, n_off);
  double on_early = mean(on.queued, 0, n_on / 4), on_late = mean(on.queued, n_on * 3 / 4, n_on);
  int64_t on_late_max = *std::max_element(on.queued.begin() + n_on / 2, on.queued.end());
  INFO("queued batches without backpressure: early " << off_early << ", late " << off_late << ", at the end "
                                                    << off.queued.back());
  INFO("queued batches with backpressure: early " << on_early << ", late " << on_late << ", at most " << on_late_max
                                                 << " in the second half, at the end " << on.queued.back());
  // Without backpressure each batch takes four intervals: the queue grows by about three
  // batches per batch processed.
  CHECK(off_late > off_early + 5);
  CHECK(off.queued.back() >= 10);
  // With it, the queue stays short to the end and does not grow.
  CHECK(on_late_max <= 4);
  CHECK(on_late <= on_early + 1);
  // And backpressure did act: the bound moved from the initial rate.
  CHECK(std::any_of(on.rates.begin(), on.rates.end(), [](int64_t r) { return r != 1000 && r > 0; }));
}
