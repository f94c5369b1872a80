#include "bench/tune/rest_client.h"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>

namespace sluice::tune {
namespace {

using nlohmann::json;

int64_t intOr(const json& v, int64_t missing) { return v.is_number() ? v.get<int64_t>() : missing; }

}  // namespace

StatusOr<std::vector<BatchRecord>> parseBatchesJson(const std::string& body) {
  try {
    json list = json::parse(body);
    if (!list.is_array()) return Status::corruption("the batches are not a JSON list");
    std::vector<BatchRecord> out;
    for (const auto& b : list) {
      BatchRecord r;
      r.batch_time_ms = b.at("batchId").get<int64_t>();
      r.status = b.at("status").get<std::string>();
      r.records = intOr(b.value("inputSize", json()), 0);
      r.scheduling_delay_ms = intOr(b.value("schedulingDelay", json()), -1);
      r.processing_time_ms = intOr(b.value("processingTime", json()), -1);
      r.total_delay_ms = intOr(b.value("totalDelay", json()), -1);
      out.push_back(std::move(r));
    }
    return out;
  } catch (const json::exception& e) {
    return Status::corruption(std::string("unexpected batches JSON: ") + e.what());
  }
}

StatusOr<StreamingStatistics> parseStatisticsJson(const std::string& body) {
  try {
    json s = json::parse(body);
    StreamingStatistics out;
    out.batch_duration_ms = s.at("batchDuration").get<int64_t>();
    out.completed_batches = s.at("numTotalCompletedBatches").get<int64_t>();
    out.active_batches = s.at("numActiveBatches").get<int64_t>();
    out.num_receivers = s.at("numReceivers").get<int>();
    return out;
  } catch (const json::exception& e) {
    return Status::corruption(std::string("unexpected statistics JSON: ") + e.what());
  }
}

StreamingRestClient::StreamingRestClient(std::unique_ptr<httplib::Client> http, std::string app_id)
    : http_(std::move(http)), app_id_(std::move(app_id)) {}

StreamingRestClient::~StreamingRestClient() = default;

StatusOr<std::unique_ptr<StreamingRestClient>> StreamingRestClient::connect(
    const std::string& base_url, const std::optional<std::string>& secret) {
  std::smatch m;
  if (!std::regex_match(base_url, m, std::regex(R"(http://([^:/]+):(\d+)/?)")))
    return Status::invalidArgument("not an http://host:port URL: " + base_url);
  std::string host = m[1].str() == "0.0.0.0" ? "127.0.0.1" : m[1].str();
  auto http = std::make_unique<httplib::Client>(host, std::stoi(m[2].str()));
  http->set_connection_timeout(5, 0);
  http->set_read_timeout(5, 0);
  if (secret) http->set_basic_auth("sluice", *secret);
  std::unique_ptr<StreamingRestClient> client(new StreamingRestClient(std::move(http), ""));
  auto apps = client->get("/api/v1/applications");
  if (!apps) return apps.status();
  try {
    json list = json::parse(*apps);
    if (!list.is_array() || list.empty())
      return Status::unavailable(base_url + " lists no application");
    client->app_id_ = list[0].at("id").get<std::string>();
  } catch (const json::exception& e) {
    return Status::corruption(std::string("unexpected applications JSON: ") + e.what());
  }
  return client;
}

StatusOr<std::string> StreamingRestClient::get(const std::string& path) {
  auto res = http_->Get(path);
  if (!res) return Status::unavailable("GET " + path + ": " + httplib::to_string(res.error()));
  if (res->status != 200)
    return Status::unavailable("GET " + path + ": HTTP " + std::to_string(res->status));
  return res->body;
}

StatusOr<StreamingStatistics> StreamingRestClient::statistics() {
  auto body = get("/api/v1/applications/" + app_id_ + "/streaming/statistics");
  if (!body) return body.status();
  return parseStatisticsJson(*body);
}

StatusOr<std::vector<BatchRecord>> StreamingRestClient::batches() {
  auto body = get("/api/v1/applications/" + app_id_ + "/streaming/batches");
  if (!body) return body.status();
  return parseBatchesJson(*body);
}

}  // namespace sluice::tune
