#include "bench/ysb/redis_client.h"

#include <sys/time.h>

#include <charconv>

#include <hiredis/hiredis.h>

namespace sluice::ysb {
namespace {

// hiredis 0.14 (Debian 12) speaks RESP2 only: these are all the reply types there are.
RedisReply copyReply(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(copyReply(*r.element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

timeval toTimeval(std::chrono::milliseconds d) {
  return timeval{static_cast<time_t>(d.count() / 1000), static_cast<suseconds_t>((d.count() % 1000) * 1000)};
}

}  // namespace

StatusOr<std::pair<std::string, int>> parseRedisAddress(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return Status::invalidArgument("'" + address + "' is not host:port");
  std::string host = address.substr(0, colon);
  int port = 0;
  const char* first = address.data() + colon + 1;
  const char* last = address.data() + address.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || port <= 0 || port > 65535) {
    return Status::invalidArgument("'" + address + "': the port is not a number in 1..65535");
  }
  return std::pair<std::string, int>(host.empty() ? "127.0.0.1" : host, port);
}

StatusOr<std::unique_ptr<RedisClient>> RedisClient::connect(const std::string& host, int port,
                                                             std::chrono::milliseconds timeout) {
  std::string address = host + ":" + std::to_string(port);
  redisContext* ctx = redisConnectWithTimeout(host.c_str(), port, toTimeval(timeout));
  if (ctx == nullptr) return Status::unavailable("cannot connect to Redis at " + address + ": out of memory");
  if (ctx->err != 0) {
    std::string why = ctx->errstr;
    redisFree(ctx);
    return Status::unavailable("cannot connect to Redis at " + address + ": " + why);
  }
  if (redisSetTimeout(ctx, toTimeval(timeout)) != REDIS_OK) {
    redisFree(ctx);
    return Status::unavailable("cannot set the reply timeout of the Redis connection to " + address);
  }
  return std::unique_ptr<RedisClient>(new RedisClient(ctx, address));
}

RedisClient::~RedisClient() { redisFree(ctx_); }

Status RedisClient::append(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  if (redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()) != REDIS_OK) {
    return Status::ioError("Redis at " + address_ + ": " + ctx_->errstr);
  }
  return Status::ok();
}

StatusOr<RedisReply> RedisClient::readReply() {
  void* raw = nullptr;
  if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
    return Status::ioError("Redis at " + address_ + ": " + (ctx_->err != 0 ? ctx_->errstr : "no reply"));
  }
  auto* reply = static_cast<redisReply*>(raw);
  bool error = reply->type == REDIS_REPLY_ERROR;
  RedisReply out = copyReply(*reply);
  freeReplyObject(reply);
  if (error) return Status::internal("Redis at " + address_ + " answered: " + out.str);
  return out;
}

StatusOr<RedisReply> RedisClient::command(const std::vector<std::string>& args) {
  Status st = append(args);
  if (!st) return st;
  return readReply();
}

StatusOr<std::vector<RedisReply>> RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& c : commands) {
    Status st = append(c);
    if (!st) return st;
  }
  std::vector<RedisReply> replies;
  Status first_error;
  for (size_t i = 0; i < commands.size(); ++i) {
    auto reply = readReply();
    if (reply) {
      replies.push_back(std::move(*reply));
      continue;
    }
    if (ctx_->err != 0) return reply.status();  // the connection is gone: nothing more to read
    if (first_error) first_error = reply.status();
    replies.emplace_back();
  }
  if (!first_error) return first_error;
  return replies;
}

}  // namespace sluice::ysb
