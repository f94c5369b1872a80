// RedisClient: a blocking connection to one Redis server (hiredis), with the replies copied
// into plain values and every failure a Status: a lost connection, a timeout, an error reply.
//
// THREADING: one thread at a time (hiredis contexts are not thread-safe). A connection that
// failed stays failed: every later call returns an error; connect again.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

struct redisContext;

namespace sluice::ysb {

struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray };
  Type type = Type::kNil;
  std::string str;      // kString, kStatus
  int64_t integer = 0;  // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool isNil() const { return type == Type::kNil; }
};

// "host:port" (host may be empty: 127.0.0.1) into its parts; invalidArgument when it is not one.
StatusOr<std::pair<std::string, int>> parseRedisAddress(const std::string& address);

class RedisClient {
 public:
  // Connects to host:port within timeout; every command then waits at most timeout for its reply.
  static StatusOr<std::unique_ptr<RedisClient>> connect(const std::string& host, int port,
                                                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command, e.g. {"HGET", key, field}. An error reply is a Status (its text in the message).
  StatusOr<RedisReply> command(const std::vector<std::string>& args);
  // Sends every command in one write, then reads every reply: one round trip. The replies in
  // order; the first error reply, if any, as a Status (after all replies were read, so the
  // connection stays usable).
  StatusOr<std::vector<RedisReply>> pipeline(const std::vector<std::vector<std::string>>& commands);
  std::string address() const { return address_; }

 private:
  RedisClient(redisContext* ctx, std::string address) : ctx_(ctx), address_(std::move(address)) {}
  Status append(const std::vector<std::string>& args);
  StatusOr<RedisReply> readReply();

  redisContext* ctx_;
  std::string address_;
};

}  // namespace sluice::ysb
