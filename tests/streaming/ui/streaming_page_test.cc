// streaming/ui/: the Streaming tab, its health summary and the batch page, rendered from
// hand-made progress snapshots.
#include "streaming/ui/streaming_page.h"

#include <catch2/catch.hpp>
#include <string>

#include "streaming/ui/batch_page.h"
#include "streaming/ui/streaming_health.h"

using namespace sluice;

namespace {

constexpr int64_t kStart = 1'700'000'000'000;  // a round second

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

BatchInfo completedBatch(int64_t t, int64_t records, int64_t sched_ms, int64_t proc_ms) {
  BatchInfo b;
  b.batch_time = t;
  b.num_records = records;
  b.records_per_stream[0] = records;
  b.submission_ms = t;
  b.processing_start_ms = t + sched_ms;
  b.processing_end_ms = t + sched_ms + proc_ms;
  b.output_ops[0] = {0, "print", "", b.processing_start_ms, b.processing_end_ms, ""};
  return b;
}

BatchInfo queuedBatch(int64_t t) {
  BatchInfo b;
  b.batch_time = t;
  b.submission_ms = t;
  b.output_ops[0] = {0, "print", "", -1, -1, ""};
  return b;
}

// A 1 s interval app with one receiver and n completed batches of 19,094 records each.
StreamingProgress healthyApp(int n) {
  StreamingProgress p;
  p.start_ms = kStart;
  p.batch_duration_ms = 1000;
  for (int i = 1; i <= n; ++i)
    p.completed.push_back(completedBatch(kStart + i * 1000, 19094, 3, 120 + i));
  p.num_total_completed = n;
  p.num_total_processed_records = 19094LL * n;
  ReceiverInfo r;
  r.stream_id = 0;
  r.name = "SocketReceiver-0";
  r.active = true;
  r.executor_id = "1";
  r.host = "127.0.0.1";
  r.records = 19094LL * n;
  p.receivers.push_back(r);
  return p;
}

const DriverPageInfo kApp{"app-1", "network word count"};

}  // namespace

TEST_CASE("streaming health: stable, falling behind, overloaded", "[ui]") {
  StreamingProgress p = healthyApp(5);
  StreamingHealth h = streamingHealth(p);
  CHECK(h.level == StreamingHealth::Level::kOk);
  CHECK(h.last_total_delay_ms == 128);
  CHECK(h.headline ==
        "Stable: batches complete within the 1.0 s batch interval (last total delay 128 ms).");

  p.completed.push_back(completedBatch(kStart + 6000, 10, 0, 1500));  // one slow batch
  h = streamingHealth(p);
  CHECK(h.level == StreamingHealth::Level::kWarn);
  CHECK(h.headline ==
        "Falling behind: 0 batches queued; the last batch took 1.5 s (total delay), more than the "
        "1.0 s batch interval.");

  for (int i = 0; i < 12; ++i) p.active.push_back(queuedBatch(kStart + (7 + i) * 1000));
  p.active[0].processing_start_ms = kStart + 7000;  // one runs, eleven wait
  h = streamingHealth(p);
  CHECK(h.level == StreamingHealth::Level::kBad);
  CHECK(h.queued == 11);
  CHECK(h.processing == 1);
  CHECK(std::string(h.cssClass()) == "bad");
  CHECK(h.headline.rfind("Overloaded: 11 batches queued; the last batch took 1.5 s", 0) == 0);

  StreamingProgress fresh;
  fresh.batch_duration_ms = 200;
  CHECK(streamingHealth(fresh).headline ==
        "Waiting for the first batch to complete (batch interval 200 ms).");
}

TEST_CASE("streaming page: four charts with data, the receiver and the batches, in human units",
          "[ui]") {
  StreamingProgress p = healthyApp(5);
  p.active.push_back(queuedBatch(kStart + 6000));
  std::string html = renderStreamingPage(p, kApp, {}, kStart + 6500);
  for (const char* metric : {"input-rate", "scheduling-delay", "processing-time", "total-delay"}) {
    INFO(metric);
    CHECK(count(html, std::string("timeline-") + metric + "\" width") == 1);
    CHECK(count(html, std::string("histogram-") + metric + "\" width") == 1);
  }
  CHECK(count(html, "data-points=\"5\"") == 8);
  CHECK(count(html, "<path class=\"line\"") == 4);
  CHECK(html.find("avg 19,094 records/s") != std::string::npos);
  CHECK(html.find("19093.8") == std::string::npos);  // no raw doubles
  CHECK(html.find("class=\"summary ok\"") != std::string::npos);
  CHECK(html.find("Running batches of 1.0 s") != std::string::npos);
  CHECK(html.find("95,470 records)") != std::string::npos);
  // The receivers table: name, status, where, rate; no rate bound in this data.
  CHECK(html.find("SocketReceiver-0 (stream 0)") != std::string::npos);
  CHECK(html.find("executor 1 @ 127.0.0.1") != std::string::npos);
  CHECK(html.find("<th>Rate Bound</th>") != std::string::npos);
  // Batches link to their pages; the queued one is in the active table.
  CHECK(html.find("href=\"/streaming/batch?id=" + std::to_string(kStart + 5000) + "\"") !=
        std::string::npos);
  CHECK(html.find(">queued</td>") != std::string::npos);
  CHECK(html.find("Completed Batches (last 5 out of 5)") != std::string::npos);
  CHECK(html.find("id=\"autorefresh\"") != std::string::npos);
  CHECK(html.find("<script src") == std::string::npos);  // nothing loaded from elsewhere
}

TEST_CASE("streaming page: an overloaded app is red and says how many batches are queued", "[ui]") {
  StreamingProgress p = healthyApp(3);
  p.completed.back().processing_end_ms += 4000;
  for (int i = 0; i < 96; ++i) p.active.push_back(queuedBatch(kStart + (4 + i) * 1000));
  std::string html = renderStreamingPage(p, kApp, {}, kStart + 100'000);
  CHECK(html.find("class=\"summary bad\"") != std::string::npos);
  CHECK(html.find("Overloaded: 96 batches queued") != std::string::npos);
  CHECK(html.find("Active Batches (96)") != std::string::npos);
  CHECK(html.find("Page 1 of 4") != std::string::npos);  // 25 per page
  // The slow batch's total delay is marked.
  CHECK(html.find("class=\"num bad\">4.1 s</td>") != std::string::npos);
}

TEST_CASE("streaming page: completed batches are paginated newest first", "[ui]") {
  StreamingProgress p = healthyApp(60);
  StreamingPageQuery q;
  // The completed batches' table (the charts link to every batch).
  auto table = [&] {
    std::string html = renderStreamingPage(p, kApp, q, kStart + 61'000);
    return html.substr(html.find("id=\"completed\""));
  };
  std::string first = table();
  CHECK(first.find("Page 1 of 3") != std::string::npos);
  CHECK(first.find("href=\"?activePage=1&amp;page=2\"") != std::string::npos);
  const std::string newest = "?id=" + std::to_string(kStart + 60'000) + "\">";
  const std::string oldest = "?id=" + std::to_string(kStart + 1000) + "\">";
  CHECK(first.find(newest) != std::string::npos);
  CHECK(first.find(oldest) == std::string::npos);
  q.page = 3;
  std::string last = table();
  CHECK(last.find("Page 3 of 3") != std::string::npos);
  CHECK(last.find(oldest) != std::string::npos);
  CHECK(last.find(newest) == std::string::npos);
  q.page = 99;  // clamped
  CHECK(table().find("Page 3 of 3") != std::string::npos);
}

TEST_CASE("batch page: delays, records per stream, output operations, jobs and tasks by locality",
          "[ui]") {
  StreamingProgress p = healthyApp(2);
  BatchInfo& b = p.completed.back();
  b.output_ops[1] = {1,          "saveAsTextFiles", "", b.processing_start_ms, b.processing_end_ms,
                     "disk full"};
  b.jobs[7] = {7, 2, 1, 12, 95, true, ""};
  b.tasks_by_locality = {{"PROCESS_LOCAL", 9}, {"ANY", 3}};
  auto html = renderBatchPage(p, kApp, b.batch_time, kStart + 5000);
  REQUIRE(html.has_value());
  CHECK(html->find("Details of batch at") != std::string::npos);
  CHECK(html->find("19,094 records") != std::string::npos);
  CHECK(html->find("SocketReceiver-0 (stream 0)") != std::string::npos);
  CHECK(html->find(">saveAsTextFiles</td>") != std::string::npos);
  CHECK(html->find(">disk full</td>") != std::string::npos);
  CHECK(html->find("1/2 (1 failed)") != std::string::npos);
  CHECK(html->find("2 (1 skipped)") != std::string::npos);  // job 7's stages
  CHECK(html->find(">PROCESS_LOCAL</td><td class=\"num\">9</td><td class=\"num\">75 %") !=
        std::string::npos);
  CHECK_FALSE(renderBatchPage(p, kApp, 42, kStart).has_value());
}
