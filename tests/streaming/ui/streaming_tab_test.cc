// The streaming pages of the driver UI on a real local[2] streaming driver: the receivers'
// REST paths with Spark's ReceiverInfo fields, the Streaming page and tab, the streaming
// and WAL metrics of /metrics, and the tab going away with its StreamingContext.
#include "streaming/ui/streaming_tab.h"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>

#include "driver/context.h"
#include "streaming/streaming_context.h"
#include "tests/common/prometheus_exposition.h"
#include "tests/integration/http_json.h"

namespace sluice {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using testing::getJson;
using testing::waitFor;

std::string bodyOf(int port, const std::string& path, int* status = nullptr) {
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get(path.c_str());
  REQUIRE(res);
  if (status) *status = res->status;
  return res->body;
}

TEST_CASE("streaming tab: receivers, the Streaming page and streaming and WAL metrics on a real driver", "[streaming]") {
  testing::TempDir dir("streaming-tab-test");
  Conf conf;
  conf.set("streaming.clock", "manual")
      .set("streaming.blockInterval", "5ms")
      .set("streaming.receiver.writeAheadLog.enable", "true")
      .set("ui.port", "0")
      .set("driver.bindAddress", "127.0.0.1");
  auto ctx = Context::create({"local[2]", "streaming-tab-test", "", conf});
  REQUIRE(ctx.isOk());
  REQUIRE((*ctx)->webUi() != nullptr);
  const int port = (*ctx)->webUi()->port();
  const std::string api = "/api/v1/applications/" + (*ctx)->appId();
  {
    StreamingContext ssc(**ctx, Seconds(1));
    ssc.checkpoint(dir / "checkpoint");
    auto counted = std::make_shared<std::atomic<int64_t>>(0);
    ssc.rateStream(2000, 16, 10).foreachRDD([counted](const RDD<std::string>& rdd) { *counted += rdd.count(); });
    ssc.start();
    CHECK(ssc.uiPort() == port);
    REQUIRE(waitFor([&] {
      auto p = ssc.progress();
      return p.receivers.size() == 1 && p.receivers[0].records > 0;
    }, 30s));
    ssc.manualClock()->advance(1000);
    REQUIRE(ssc.waitForBatch(1000, 30s));

    auto receivers = getJson("127.0.0.1", port, api + "/streaming/receivers");
    REQUIRE(receivers.has_value());
    REQUIRE(receivers->size() == 1);
    auto one = getJson("127.0.0.1", port, api + "/streaming/receivers/0");
    REQUIRE(one.has_value());
    for (const char* field : {"streamId", "streamName", "isActive", "executorId", "executorHost", "avgEventRate",
                              "eventRates"}) {
      INFO(one->dump(2) << "\nfield " << field);
      CHECK(one->contains(field));
    }
    CHECK((*one)["streamId"] == 0);
    CHECK((*one)["isActive"] == true);
    CHECK((*one)["executorId"] == "driver");
    int status = 0;
    bodyOf(port, api + "/streaming/receivers/7", &status);
    CHECK(status == 404);
    CHECK(getJson("127.0.0.1", port, api + "/streaming/statistics").has_value());
    // The batch's jobs are jobs like any other, in their batch's job group.
    auto jobs = getJson("127.0.0.1", port, api + "/jobs");
    REQUIRE(jobs.has_value());
    bool batch_job = false;
    for (const json& j : *jobs) batch_job |= j.value("jobGroup", "") == "streaming-batch-1000";
    CHECK(batch_job);

    std::string page = bodyOf(port, "/streaming/", &status);
    CHECK(status == 200);
    CHECK(page.find("Streaming Statistics") != std::string::npos);
    CHECK(bodyOf(port, "/jobs/").find("href=\"/streaming/\"") != std::string::npos);  // the tab
    CHECK(bodyOf(port, "/streaming/batch?id=1000", &status).find("Batch") != std::string::npos);
    CHECK(status == 200);
    // A streaming application lands on its Streaming page.
    httplib::Client client("127.0.0.1", port);
    auto home = client.Get("/");
    REQUIRE(home);
    CHECK(home->get_header_value("Location") == "/streaming/");

    auto m = testing::parseExposition(bodyOf(port, "/metrics"));
    CHECK(m.value("sluice_streaming_batches_completed_total") >= 1);
    CHECK(m.value("sluice_streaming_records_processed_total") > 0);
    CHECK(m.value("sluice_streaming_batch_interval_seconds") == 1);
    CHECK(m.value("sluice_streaming_last_batch_records") > 0);
    CHECK(m.has("sluice_streaming_last_batch_total_delay_seconds"));
    CHECK(m.value("sluice_streaming_receivers_active") == 1);
    const std::string labels = "{stream_id=\"0\",stream_name=\"" + (*one)["streamName"].get<std::string>() + "\"}";
    CHECK(m.value("sluice_streaming_receiver_records_total" + labels) > 0);
    CHECK(m.value("sluice_streaming_receiver_records_per_second" + labels) > 0);
    CHECK(m.value("sluice_wal_written_bytes_total") > 0);
    CHECK(m.value("sluice_wal_fsyncs_total") > 0);
    CHECK(m.value("sluice_tasks_total{status=\"completed\"}") > 0);
    ssc.stop(false);
  }
  // The StreamingContext is gone, its tab with it; the application's UI stays.
  int status = 0;
  bodyOf(port, api + "/streaming/statistics", &status);
  CHECK(status == 404);
  CHECK(getJson("127.0.0.1", port, "/api/v1/applications").has_value());
  httplib::Client client("127.0.0.1", port);
  auto home = client.Get("/");
  REQUIRE(home);
  CHECK(home->get_header_value("Location") == "/jobs/");  // the tab is gone: back to Jobs
  CHECK(testing::parseExposition(bodyOf(port, "/metrics")).has("sluice_streaming_batches_completed_total") == false);
}

}  // namespace
}  // namespace sluice
