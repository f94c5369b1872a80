// PrometheusText: families with HELP and TYPE once, samples grouped whatever their order,
// label values escaped, integers exact.
#include "common/prometheus_text.h"

#include <catch2/catch.hpp>

#include "common/process_metrics.h"
#include "tests/common/prometheus_exposition.h"

namespace sluice {
namespace {

TEST_CASE("prometheus text: each family once with HELP and TYPE, its samples together", "[common]") {
  PrometheusText out;
  out.counter("sluice_tasks_total", "Tasks that ended.", 3, {{"status", "completed"}});
  out.gauge("sluice_executors", "Executors now.", 2);
  out.counter("sluice_tasks_total", "Tasks that ended.", 1, {{"status", "failed"}});
  CHECK(out.str() ==
        "# HELP sluice_tasks_total Tasks that ended.\n"
        "# TYPE sluice_tasks_total counter\n"
        "sluice_tasks_total{status=\"completed\"} 3\n"
        "sluice_tasks_total{status=\"failed\"} 1\n"
        "# HELP sluice_executors Executors now.\n"
        "# TYPE sluice_executors gauge\n"
        "sluice_executors 2\n");
  auto e = testing::parseExposition(out.str());
  CHECK(e.value("sluice_tasks_total{status=\"failed\"}") == 1);
  CHECK(e.types.at("sluice_executors") == "gauge");
}

TEST_CASE("prometheus text: label values are escaped and large counters stay exact", "[common]") {
  PrometheusText out;
  out.gauge("sluice_streaming_receiver_records_per_second", "Rate.", 0.5,
            {{"stream_name", "a \"quoted\"\\path\nline"}});
  out.counter("sluice_wal_written_bytes_total", "Bytes.", 123456789012345.0);
  std::string text = out.str();
  CHECK(text.find("{stream_name=\"a \\\"quoted\\\"\\\\path\\nline\"} 0.5\n") != std::string::npos);
  CHECK(text.find("sluice_wal_written_bytes_total 123456789012345\n") != std::string::npos);
}

TEST_CASE("process metrics: resident memory and CPU time of this process, from /proc", "[common]") {
  PrometheusText out;
  writeProcessMetrics(out);
  auto e = testing::parseExposition(out.str());
  CHECK(e.value("process_resident_memory_bytes") > 1024 * 1024);
  CHECK(e.value("process_cpu_seconds_total") >= 0);
  CHECK(e.types.at("process_cpu_seconds_total") == "counter");
  CHECK(e.value("process_open_fds") > 2);
  CHECK(e.value("process_start_time_seconds") > 1.6e9);
}

}  // namespace
}  // namespace sluice
