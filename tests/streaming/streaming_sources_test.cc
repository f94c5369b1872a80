// Input sources on the manual clock: textFileStream picks up each moved-in file exactly
// once, and an application's own receiver (the public Receiver API) delivers every record
// it stores.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "tests/streaming/streaming_test_util.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// Stores the numbers 0 .. count-1, then stops itself.
class CountingReceiver : public ReceiverBase<CountingReceiver, int> {
 public:
  CountingReceiver() = default;
  explicit CountingReceiver(int count) : count_(count) {}
  void onStart() override {
    thread_ = std::thread([this] {
      for (int i = 0; i < count_ && !isStopped(); ++i) store(i);
    });
  }
  void onStop() override {
    if (thread_.joinable()) thread_.join();
  }
  std::string name() const override { return "CountingReceiver"; }
  template <class A> void serialize(A& ar) { ar(count_); }

 private:
  int32_t count_ = 0;
  std::thread thread_;
};

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

}  // namespace

TEST_CASE("textFileStream reads each file moved into the directory exactly once", "[streaming]") {
  TempDir tmp("file-stream");
  std::filesystem::create_directories(tmp / "in");
  auto ctx = manualClockContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto out = std::make_shared<Collected<std::string>>();
  ssc.textFileStream(tmp / "in").foreachRDD([out](const RDD<std::string>& rdd) { out->add(rdd.collect()); });
  ssc.start();
  auto batch = [&](int i) {
    ssc.manualClock()->advance(1000);
    REQUIRE(ssc.waitForBatch(i * 1000, 30s));
  };
  writeFile(tmp / "a.txt", "a1\na2\n");
  std::filesystem::rename(tmp / "a.txt", tmp / "in/a.txt");
  writeFile(tmp / "in/.hidden", "skipped\n");
  batch(1);
  writeFile(tmp / "b.txt", "b1\n");
  writeFile(tmp / "c.txt", "c1\n");
  std::filesystem::rename(tmp / "b.txt", tmp / "in/b.txt");
  std::filesystem::rename(tmp / "c.txt", tmp / "in/c.txt");
  batch(2);
  batch(3);
  ssc.stop();
  using Batches = std::vector<std::vector<std::string>>;
  CHECK(out->batches() == Batches{{"a1", "a2"}, {"b1", "c1"}, {}});
}

TEST_CASE("an application's own receiver delivers every record it stores", "[streaming]") {
  Conf conf;
  conf.set("streaming.clock", "manual");
  conf.set("streaming.blockInterval", "5ms");
  conf.set("ui.enabled", "false");
  auto ctx = Context::create({"local[2]", "receiver-test", "", conf});
  REQUIRE(ctx.isOk());
  StreamingContext ssc(**ctx, Seconds(1));
  auto out = std::make_shared<Collected<int>>();
  ssc.receiverStream<int>(std::make_shared<CountingReceiver>(10000)).foreachRDD([out](const RDD<int>& rdd) {
    out->add(rdd.collect());
  });
  ssc.start();
  REQUIRE(waitFor([&] {
    auto p = ssc.progress();
    return p.receivers.size() == 1 && p.receivers[0].records == 10000;
  }, 30s));
  ssc.manualClock()->advance(1000);
  REQUIRE(ssc.waitForBatch(1000, 30s));
  auto p = ssc.progress();
  CHECK(p.receivers[0].name == "CountingReceiver-0");
  CHECK(p.receivers[0].executor_id == "driver");
  ssc.stop();
  auto batches = out->batches();
  REQUIRE(batches.size() == 1);
  std::vector<int> expected(10000);
  for (int i = 0; i < 10000; ++i) expected[i] = i;
  CHECK(batches[0] == expected);
}

TEST_CASE("streaming.receiver.replication sets the copies of every receiver, and a bad value is refused", "[streaming]") {
  auto copies = [](const std::string& value) {
    Conf conf;
    conf.set("ui.enabled", "false");
    if (!value.empty()) conf.set("streaming.receiver.replication", value);
    auto ctx = Context::create({"local[1]", "replication-test", "", conf});
    REQUIRE(ctx.isOk());
    StreamingContext ssc(**ctx, Seconds(1));
    auto socket = std::make_shared<SocketTextReceiver>("127.0.0.1", 1);
    auto own = std::make_shared<CountingReceiver>(1);
    ssc.receiverStream<std::string>(socket);
    ssc.receiverStream<int>(own);
    return std::make_pair(socket->replication(), own->replication());
  };
  CHECK(copies("") == std::make_pair(2, 1));  // socketTextStream's _2 default, others 1
  CHECK(copies("1") == std::make_pair(1, 1));
  CHECK(copies("3") == std::make_pair(3, 3));
  CHECK_THROWS_WITH(copies("0"), Catch::Contains("streaming.receiver.replication must be a positive integer"));
  CHECK_THROWS_AS(copies("two"), std::invalid_argument);
}
