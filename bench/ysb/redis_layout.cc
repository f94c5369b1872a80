#include "bench/ysb/redis_layout.h"

#include <charconv>
#include <set>

namespace sluice::ysb {
namespace {

constexpr const char* kCampaignsKey = "campaigns";
constexpr const char* kWindowsField = "windows";
constexpr const char* kRunKey = "ysb:run";

std::optional<int64_t> toInt(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The members of the campaigns set.
StatusOr<std::vector<std::string>> campaignIds(RedisClient& redis) {
  auto reply = redis.command({"SMEMBERS", kCampaignsKey});
  if (!reply) return reply.status();
  std::vector<std::string> out;
  for (const auto& e : reply->elements) out.push_back(e.str);
  return out;
}

}  // namespace

Status seedCampaigns(RedisClient& redis, const AdCatalog& catalog) {
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> sadd{"SADD", kCampaignsKey};
  for (const auto& c : catalog.campaigns()) sadd.push_back(formatUuid(c));
  commands.push_back(std::move(sadd));
  for (int a = 0; a < catalog.numAds(); ++a) {
    commands.push_back({"SET", catalog.adText(a), formatUuid(catalog.campaignOfAd(a))});
  }
  auto replies = redis.pipeline(commands);
  return replies ? Status::ok() : replies.status();
}

StatusOr<AdTable> loadAdTable(RedisClient& redis) {
  auto ids = campaignIds(redis);
  if (!ids) return ids.status();
  std::set<std::string> campaigns(ids->begin(), ids->end());
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = redis.command({"SCAN", cursor, "TYPE", "string", "COUNT", "1000"});
    if (!reply) return reply.status();
    if (reply->elements.size() != 2) return Status::internal("Redis at " + redis.address() + ": a SCAN reply without 2 parts");
    cursor = reply->elements[0].str;
    for (const auto& k : reply->elements[1].elements)
      if (parseUuid(k.str)) keys.push_back(k.str);
  } while (cursor != "0");
  std::vector<std::pair<Uuid, Uuid>> table;
  if (!keys.empty()) {
    std::vector<std::string> mget{"MGET"};
    mget.insert(mget.end(), keys.begin(), keys.end());
    auto values = redis.command(mget);
    if (!values) return values.status();
    for (size_t i = 0; i < keys.size() && i < values->elements.size(); ++i) {
      const std::string& campaign = values->elements[i].str;
      if (!campaigns.contains(campaign)) continue;
      table.emplace_back(*parseUuid(keys[i]), *parseUuid(campaign));
    }
  }
  if (table.empty()) {
    return Status::notFound("Redis at " + redis.address() + " holds no ad of any campaign (seed it: sluice-ysb seed)");
  }
  return AdTable(std::move(table));
}

Status writeRunInfo(RedisClient& redis, const RunInfo& run) {
  auto reply = redis.command({"HSET", kRunKey, "seed", std::to_string(run.seed), "rate", std::to_string(run.rate),
                              "events", std::to_string(run.events), "start_ms", std::to_string(run.start_ms),
                              "window_ms", std::to_string(run.window_ms), "receivers", std::to_string(run.receivers),
                              "batch_ms", std::to_string(run.batch_ms), "campaigns", std::to_string(run.campaigns),
                              "ads_per_campaign", std::to_string(run.ads_per_campaign), "parser", run.parser});
  return reply ? Status::ok() : reply.status();
}

StatusOr<RunInfo> readRunInfo(RedisClient& redis) {
  auto reply = redis.command({"HGETALL", kRunKey});
  if (!reply) return reply.status();
  if (reply->elements.empty()) return Status::notFound("Redis at " + redis.address() + " has no " + kRunKey);
  std::map<std::string, std::string> f;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) f[reply->elements[i].str] = reply->elements[i + 1].str;
  RunInfo run;
  auto number = [&](const char* name, int64_t& out) {
    auto v = f.contains(name) ? toInt(f[name]) : std::nullopt;
    if (!v) return false;
    out = *v;
    return true;
  };
  int64_t seed = 0;
  if (!number("seed", seed) || !number("rate", run.rate) || !number("events", run.events) ||
      !number("start_ms", run.start_ms) || !number("window_ms", run.window_ms) ||
      !number("receivers", run.receivers) || !number("batch_ms", run.batch_ms) ||
      !number("campaigns", run.campaigns) || !number("ads_per_campaign", run.ads_per_campaign)) {
    return Status::corruption(std::string(kRunKey) + " in Redis at " + redis.address() + " lacks a field or has a bad one");
  }
  run.seed = static_cast<uint64_t>(seed);
  run.parser = f["parser"];
  return run;
}

WindowWriter::WindowWriter(RedisClient& redis) : redis_(redis), rng_(std::random_device{}()) {}

std::string WindowWriter::newId() { return formatUuid(Uuid{rng_(), rng_()}); }

Status WindowWriter::write(const std::vector<std::pair<CampaignWindow, int64_t>>& counts, int64_t now_ms) {
  if (counts.empty()) return Status::ok();
  const std::string now = std::to_string(now_ms);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(counts.size() * 5);
  for (const auto& [key, count] : counts) {
    const auto& [campaign, window_start] = key;
    auto it = window_ids_.find(key);
    if (it == window_ids_.end()) {
      std::string campaign_text = formatUuid(campaign);
      std::string start = std::to_string(window_start);
      it = window_ids_.emplace(key, newId()).first;
      commands.push_back({"HSET", campaign_text, start, it->second});
      auto list = list_ids_.find(campaign);
      if (list == list_ids_.end()) {
        list = list_ids_.emplace(campaign, newId()).first;
        commands.push_back({"HSET", campaign_text, kWindowsField, list->second});
      }
      commands.push_back({"LPUSH", list->second, start});
    }
    commands.push_back({"HINCRBY", it->second, "seen_count", std::to_string(count)});
    commands.push_back({"HSET", it->second, "time_updated", now});
  }
  auto replies = redis_.pipeline(commands);
  return replies ? Status::ok() : replies.status();
}

StatusOr<std::vector<WindowRecord>> readWindows(RedisClient& redis) {
  auto ids = campaignIds(redis);
  if (!ids) return ids.status();
  std::vector<std::vector<std::string>> list_of;
  for (const auto& c : *ids) list_of.push_back({"HGET", c, kWindowsField});
  auto lists = redis.pipeline(list_of);
  if (!lists) return lists.status();
  // (campaign, window start) of every window, then their ids, then their fields.
  std::vector<std::vector<std::string>> ranges;
  std::vector<size_t> ranged;  // campaign index of each LRANGE
  for (size_t i = 0; i < ids->size(); ++i) {
    if ((*lists)[i].isNil()) continue;
    ranges.push_back({"LRANGE", (*lists)[i].str, "0", "-1"});
    ranged.push_back(i);
  }
  auto starts = redis.pipeline(ranges);
  if (!starts) return starts.status();
  std::vector<WindowRecord> out;
  std::vector<std::vector<std::string>> id_of;
  for (size_t r = 0; r < ranged.size(); ++r) {
    const std::string& campaign = (*ids)[ranged[r]];
    for (const auto& s : (*starts)[r].elements) {
      auto start = toInt(s.str);
      auto campaign_id = parseUuid(campaign);
      if (!start || !campaign_id) continue;
      out.push_back(WindowRecord{*campaign_id, *start, 0, 0});
      id_of.push_back({"HGET", campaign, s.str});
    }
  }
  auto window_ids = redis.pipeline(id_of);
  if (!window_ids) return window_ids.status();
  std::vector<std::vector<std::string>> fields;
  for (const auto& w : *window_ids) fields.push_back({"HMGET", w.str, "seen_count", "time_updated"});
  auto values = redis.pipeline(fields);
  if (!values) return values.status();
  for (size_t i = 0; i < out.size(); ++i) {
    const auto& v = (*values)[i].elements;
    if (v.size() != 2) continue;
    out[i].seen_count = toInt(v[0].str).value_or(0);
    out[i].time_updated = toInt(v[1].str).value_or(0);
  }
  return out;
}

}  // namespace sluice::ysb
