// network_word_count on a local cluster against sluice-gen: every word sent is counted,
// the REST API shows the batches and the receiver, and a receiver whose executor dies is
// restarted on another executor.
#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <csignal>

#include "tests/integration/http_json.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// network_word_count in client mode on local-cluster[2,1,1024], its driver UI on any port.
struct WordCountApp : StreamingDriverProcess {
  WordCountApp(const TempDir& tmp, int gen_port, const std::string& out_prefix, int batch_ms = 200)
      : StreamingDriverProcess(submitArgv("local-cluster[2,1,1024]",
                                          {"--conf", "streaming.stopGracefullyOnShutdown=true", "--conf", "ui.port=0",
                                           "--conf", "streaming.blockInterval=50",
                                           libDir() + "/libnetwork_word_count.so", "127.0.0.1",
                                           std::to_string(gen_port), std::to_string(batch_ms), "0", out_prefix}),
                               tmp / "app") {}
};

// The sum of the counts of "word count" lines in every batch's output.
int64_t countedWords(const TempDir& tmp) {
  int64_t total = 0;
  for (const auto& dir : std::filesystem::directory_iterator(tmp.path())) {
    if (dir.path().filename().string().rfind("out-", 0) != 0) continue;
    for (const auto& part : std::filesystem::directory_iterator(dir.path())) {
      if (part.path().filename().string().rfind("part-", 0) != 0) continue;
      std::istringstream in(readFile(part.path()));
      std::string word;
      int64_t n;
      while (in >> word >> n) total += n;
    }
  }
  return total;
}

}  // namespace

TEST_CASE("network_word_count on a local cluster counts every word sluice-gen sent", "[integration][streaming]") {
  TempDir tmp("network-word-count");
  TextGenerator gen(tmp, 20000, 30000);
  WordCountApp app(tmp, gen.port, tmp / "out");
  int64_t sent = gen.sentWords();
  // The receiver has read everything once it saw the end of the stream.
  REQUIRE(waitFor([&] {
    json error = app.streaming("receivers")[0]["lastErrorMessage"];
    return error.is_string() && error.get<std::string>().find("no more data") != std::string::npos;
  }, 30s));
  REQUIRE(waitFor([&] { return app.streaming("statistics")["numReceivedRecords"] == 30000; }, 10s));

  json stats = app.streaming("statistics");
  CHECK(stats["batchDuration"] == 200);
  CHECK(stats["numReceivers"] == 1);
  CHECK(stats["numTotalCompletedBatches"].get<int64_t>() > 0);
  for (const char* key : {"avgInputRate", "avgSchedulingDelay", "avgProcessingTime", "avgTotalDelay", "startTime",
                          "numActiveBatches", "numProcessedRecords", "numRetainedCompletedBatches"})
    CHECK(stats.contains(key));
  json receivers = app.streaming("receivers");
  REQUIRE(receivers.size() == 1);
  CHECK(receivers[0]["streamId"] == 0);
  CHECK(receivers[0]["executorHost"] == "127.0.0.1");
  json batches = app.streaming("batches?status=COMPLETED");
  REQUIRE(!batches.empty());
  CHECK(batches[0]["batchId"].get<int64_t>() > batches.back()["batchId"].get<int64_t>());  // newest first
  CHECK(batches[0]["numTotalOutputOps"] == 2);
  // Each batch counts its tasks by locality level; block tasks run where their block is.
  int64_t process_local = 0;
  for (const auto& b : batches) process_local += b["tasksByLocality"].value("PROCESS_LOCAL", 0);
  CHECK(process_local > 0);
  int64_t id = batches[0]["batchId"];
  CHECK(app.streaming("batches/" + std::to_string(id))["batchId"] == id);
  CHECK(app.streaming("batches/" + std::to_string(id) + "/operations").size() == 2);

  // SIGTERM stops it gracefully: every received line is processed and saved.
  ::kill(app.child.pid(), SIGTERM);
  auto exit = app.child.wait(60s);
  REQUIRE(exit.has_value());
  CHECK(exit->exit_code == 128 + SIGTERM);
  CHECK(countedWords(tmp) == sent);
}

TEST_CASE("a receiver whose executor is SIGKILLed restarts on another executor", "[integration][streaming]") {
  TempDir tmp("receiver-restart");
  TextGenerator gen(tmp, 2000, 0);  // runs until the test ends
  WordCountApp app(tmp, gen.port, tmp / "out");
  std::string first;
  REQUIRE(waitFor([&] {
    json r = app.streaming("receivers")[0];
    if (r["executorId"].is_null() || r["isActive"] != true) return false;
    first = r["executorId"];
    return true;
  }, 30s));
  pid_t victim = descendantWithArg(app.child.pid(), "sluice-executor", "--executor-id", first);
  REQUIRE(victim > 0);
  int64_t before = app.streaming("statistics")["numReceivedRecords"];
  ::kill(victim, SIGKILL);
  std::string second;
  REQUIRE(waitFor([&] {
    json r = app.streaming("receivers")[0];
    if (r["executorId"].is_null() || r["isActive"] != true || r["executorId"] == first) return false;
    second = r["executorId"];
    return true;
  }, 60s));
  CHECK(second != first);
  // It receives again from the new executor.
  CHECK(waitFor([&] { return app.streaming("statistics")["numReceivedRecords"].get<int64_t>() > before + 2000; }, 30s));
}
